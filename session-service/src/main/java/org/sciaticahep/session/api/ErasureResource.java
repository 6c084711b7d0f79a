package org.sciaticahep.session.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.sciaticahep.session.domain.CareTeam;
import org.sciaticahep.session.domain.Erasure;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Roles;
import org.sciaticahep.support.access.AccessLog;

@Path("/patients/{patientId}")
public class ErasureResource {

    /** Why the patient is erased (their request, the end of a retention period): kept with the erasure, so no health data. */
    public record Request(String reason) {
    }

    @Inject
    Erasure erasure;

    @Inject
    CareTeam access;

    @Inject
    AccessLog accessLog;

    @DELETE
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Erase a patient everywhere (admin, with a reason): their data key is destroyed, so their records "
            + "on session-events can never be read again; every service deletes what it holds of them; from then on the "
            + "patient id answers 404 on every route and is never used again. Asking again completes an interrupted "
            + "erasure; an id never known here is 404")
    public Uni<Response> erase(@PathParam("patientId") String patientId,
                               @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = Request.class),
                                       examples = @ExampleObject(name = "at the patient's request", value = "{\"reason\":\"The patient asked for erasure (request 2026-118)\"}")))
                               Request request) {
        return erasure.erase(patientId, access.callerId(), request == null ? null : request.reason()).map(erased -> {
            if (!erased) {
                throw ProblemException.notFound("no such patient");
            }
            // the erasure stays in the patient's access log, which is kept without health data
            accessLog.record(access.callerId(), Roles.ADMIN, patientId, "DELETE /patients/{patientId}", AccessLog.Outcome.ALLOWED);
            return Response.noContent().build();
        });
    }
}
