package org.sciaticahep.insights.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.sciaticahep.insights.domain.CareTeam;
import org.sciaticahep.insights.domain.Insights;
import org.sciaticahep.insights.domain.ReviewFlag;
import org.sciaticahep.insights.store.FlagStore;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Roles;
import org.sciaticahep.support.Violation;
import org.sciaticahep.support.Violations;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReviewResource {

    static final int MAX_NOTE = 2000;
    static final int MAX_PAGE_SIZE = 500;
    static final int MAX_OFFSET = 10_000;

    /**
     * What the clinician says when acknowledging (optional) or resolving (required); who did it and when come from
     * the token and the clock, never from the body.
     */
    public record Action(String note) {
    }

    @Inject
    FlagStore flags;

    @Inject
    Insights insights;

    @Inject
    CareTeam access;

    @Inject
    ObjectMapper json;

    @GET
    @Path("review-queue")
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "Open and acknowledged flags of the caller's patients, most severe first, then oldest first; "
            + "a page of size (1-500, default 100)")
    public Uni<List<ReviewFlag>> queue(@QueryParam("page") @DefaultValue("0") int page,
                                       @QueryParam("size") @DefaultValue("100") int size) {
        Violations v = Violations.collect();
        v.check(size >= 1 && size <= MAX_PAGE_SIZE, "size", "must be between 1 and " + MAX_PAGE_SIZE);
        // OFFSET walks every row before the page: bounded, so a caller cannot choose the work
        v.check(page >= 0 && (long) page * size <= MAX_OFFSET, "page", "must be between 0 and " + MAX_OFFSET + " / size");
        if (!v.isEmpty()) {
            throw ProblemException.malformed(v.list(), "invalid query parameters");
        }
        return flags.queue(access.callerId(), size, (long) page * size);
    }

    @POST
    @Path("flags/{flagId}/acknowledge")
    @RolesAllowed(Roles.CLINICIAN)
    // JSON only: a form or text/plain post, which any web page can make a browser send, is 415. The body (a note)
    // is optional: an empty body or {} will do.
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A clinician has seen the flag; an optional note says what was done")
    public Uni<ReviewFlag> acknowledge(@PathParam("flagId") String flagId, String body) throws JsonProcessingException {
        Action action = body == null || body.isBlank() ? null : json.readValue(body, Action.class);
        String note = note(action == null ? null : action.note(), false);
        return access.requireClinicianOfFlag(id(flagId)).chain(id -> insights.acknowledge(id, access.callerId(), note));
    }

    @POST
    @Path("flags/{flagId}/resolve")
    @RolesAllowed(Roles.CLINICIAN)
    @Consumes(MediaType.APPLICATION_JSON) // as acknowledge: a form or text/plain post is 415
    @Operation(summary = "The flag is dealt with; the note says how")
    public Uni<ReviewFlag> resolve(@PathParam("flagId") String flagId, Action action) {
        String note = note(action == null ? null : action.note(), true);
        return access.requireClinicianOfFlag(id(flagId)).chain(id -> insights.resolve(id, access.callerId(), note));
    }

    static UUID id(String flagId) {
        try {
            return UUID.fromString(flagId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.malformed(List.of(Violation.of("flagId", "must be a UUID")), "flagId is not a UUID");
        }
    }

    static String note(String note, boolean required) {
        Violations v = Violations.collect();
        if (required || note != null) {
            v.notBlank(note, "note", MAX_NOTE);
        }
        v.throwIfAny();
        return note;
    }
}
