package org.sciaticahep.insights.api;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.sciaticahep.insights.domain.Insights;
import org.sciaticahep.insights.domain.ReviewFlag;
import org.sciaticahep.insights.store.FlagStore;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Violation;
import org.sciaticahep.support.Violations;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReviewResource {

    static final int MAX_NOTE = 2000;

    /** Who acknowledges or resolves, and for a resolution why. */
    public record Action(String by, String note) {
    }

    @Inject
    FlagStore flags;

    @Inject
    Insights insights;

    @GET
    @Path("review-queue")
    @Operation(summary = "Open and acknowledged flags, most severe first, then oldest first")
    public Uni<List<ReviewFlag>> queue() {
        return flags.queue(null);
    }

    @POST
    @Path("flags/{flagId}/acknowledge")
    @Operation(summary = "A clinician has seen the flag")
    public Uni<ReviewFlag> acknowledge(@PathParam("flagId") String flagId, Action action) {
        Action checked = check(action, false);
        return insights.acknowledge(id(flagId), checked.by());
    }

    @POST
    @Path("flags/{flagId}/resolve")
    @Operation(summary = "The flag is dealt with; the note says how")
    public Uni<ReviewFlag> resolve(@PathParam("flagId") String flagId, Action action) {
        Action checked = check(action, true);
        return insights.resolve(id(flagId), checked.by(), checked.note());
    }

    static UUID id(String flagId) {
        try {
            return UUID.fromString(flagId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.malformed(List.of(Violation.of("flagId", "must be a UUID")), "flagId is not a UUID");
        }
    }

    static Action check(Action action, boolean noteRequired) {
        Violations v = Violations.collect();
        if (!v.present(action, "body")) {
            v.throwIfAny();
        }
        if (v.notBlank(action.by(), "by", 64)) {
            v.check(action.by().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"), "by", "must be a clinician id");
        }
        if (noteRequired) {
            v.notBlank(action.note(), "note", MAX_NOTE);
        } else if (action.note() != null) {
            v.check(action.note().length() <= MAX_NOTE, "note", "must be at most " + MAX_NOTE + " characters");
        }
        v.throwIfAny();
        return action;
    }
}
