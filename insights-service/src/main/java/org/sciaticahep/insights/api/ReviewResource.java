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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.sciaticahep.insights.domain.CareTeam;
import org.sciaticahep.insights.domain.FlagReview;
import org.sciaticahep.insights.domain.ReviewFlag;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Roles;
import org.sciaticahep.support.Violation;
import org.sciaticahep.support.Violations;
import org.sciaticahep.support.Page;
import org.sciaticahep.insights.domain.FlagRule;
import org.sciaticahep.insights.domain.QueueFilter;

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
            + "one page (page from 0, size 1-500, default 100) with the total; only of a severity, a rule or a status "
            + "(OPEN, ACKNOWLEDGED) if given")
    public Uni<Page<ReviewFlag>> queue(@QueryParam("page") @DefaultValue("0") int page,
                                       @QueryParam("size") @DefaultValue("100") int size,
                                       @QueryParam("severity") String severity, @QueryParam("rule") String rule,
                                       @QueryParam("status") String status) {
        long offset = Page.offset(page, size, "page", "size");
        QueueFilter filter = filter(severity, rule, status);
        return views.queue(access.callerId(), filter, size, offset).map(rows -> Page.of(page, size, rows));
    }

    /** The queue's filter from query parameters (blank: any); 400 naming each parameter that is none of its values. */
    static QueueFilter filter(String severity, String rule, String status) {
        Violations v = Violations.collect();
        FlagRule.Severity s = named(FlagRule.Severity.class, severity, "severity", v);
        FlagRule r = named(FlagRule.class, rule, "rule", v);
        ReviewFlag.Status st = named(ReviewFlag.Status.class, status, "status", v);
        v.check(st != ReviewFlag.Status.RESOLVED, "status", "must be OPEN or ACKNOWLEDGED: the queue holds no resolved flags");
        if (!v.isEmpty()) {
            throw ProblemException.malformed(v.list(), "invalid query parameters");
        }
        return new QueueFilter(s, r, st);
    }

    private static <E extends Enum<E>> E named(Class<E> type, String value, String field, Violations v) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        v.add(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        return null;
    }

    @POST
    @Path("flags/{flagId}/acknowledge")
    @RolesAllowed(Roles.CLINICIAN)
    // JSON only: a form or text/plain post, which any web page can make a browser send, is 415. The body (a note)
    // is optional: an empty body or {} will do.
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A clinician has seen the flag; an optional note says what was done")
    public Uni<ReviewFlag> acknowledge(@PathParam("flagId") String flagId,
                                       @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = Action.class), examples = @ExampleObject(name = "with a note", value = "{\"note\":\"Called the patient; seeing them tomorrow\"}")))
                                       String body) throws JsonProcessingException {
        Action action = body == null || body.isBlank() ? null : json.readValue(body, Action.class);
        String note = note(action == null ? null : action.note(), false);
        return access.requireClinicianOfFlag(id(flagId)).chain(id -> review.acknowledge(id, access.callerId(), note));
    }

    @POST
    @Path("flags/{flagId}/resolve")
    @RolesAllowed(Roles.CLINICIAN)
    @Consumes(MediaType.APPLICATION_JSON) // as acknowledge: a form or text/plain post is 415
    @Operation(summary = "The flag is dealt with; the note says how")
    public Uni<ReviewFlag> resolve(@PathParam("flagId") String flagId,
                                   @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "what was done", value = "{\"note\":\"Glute bridge paused; pain back to baseline\"}")))
                                   Action action) {
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
