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
import org.sciaticahep.insights.domain.FlagReview;
import org.sciaticahep.insights.domain.ReviewFlag;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Roles;
import org.sciaticahep.support.Violation;
import org.sciaticahep.support.Violations;
import org.sciaticahep.support.Page;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReviewResource {

    static final int MAX_NOTE = 2000;

    /**
     * What the clinician says when acknowledging (optional) or resolving (required); who did it and when come from
     * the token and the clock, never from the body.
     */
    public record Action(String note) {
    }


    @Inject
    PatientViews views;

    @Inject
    FlagReview review;

    @Inject
    CareTeam access;

    @Inject
    ObjectMapper json;

    @GET
    @Path("review-queue")
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "Open and acknowledged flags of the caller's patients, most severe first, then longest waiting; "
            + "one page (page from 0, size 1-500, default 100) with the total")
    public Uni<Page<ReviewFlag>> queue(@QueryParam("page") @DefaultValue("0") int page,
                                       @QueryParam("size") @DefaultValue("100") int size) {
        long offset = Page.offset(page, size, "page", "size");
        return views.queue(access.callerId(), size, offset).map(rows -> Page.of(page, size, rows));
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
        return access.requireClinicianOfFlag(id(flagId)).chain(id -> review.acknowledge(id, access.callerId(), note));
    }

    @POST
    @Path("flags/{flagId}/resolve")
    @RolesAllowed(Roles.CLINICIAN)
    @Consumes(MediaType.APPLICATION_JSON) // as acknowledge: a form or text/plain post is 415
    @Operation(summary = "The flag is dealt with; the note says how")
    public Uni<ReviewFlag> resolve(@PathParam("flagId") String flagId, Action action) {
        String note = note(action == null ? null : action.note(), true);
        return access.requireClinicianOfFlag(id(flagId)).chain(id -> review.resolve(id, access.callerId(), note));
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
