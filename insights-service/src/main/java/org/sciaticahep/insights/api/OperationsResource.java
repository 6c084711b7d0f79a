package org.sciaticahep.insights.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.sciaticahep.insights.domain.CareTeam;
import org.sciaticahep.insights.domain.RebuildState;
import org.sciaticahep.insights.events.Rebuild;
import org.sciaticahep.support.Roles;

@Path("/admin/rebuild")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {

    @Inject
    Rebuild rebuild;

    @Inject
    CareTeam caller;

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Rebuild insights from session-events on every instance (flags, acknowledgements and notes are kept); "
            + "reads answer 503 until it is done")
    public Uni<Response> start() {
        return rebuild.start(caller.callerId()).map(state -> Response.accepted(state).build());
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Where the last rebuild stands: REPLAYING, RECONCILING or DONE")
    public Uni<RebuildState> status() {
        return rebuild.status();
    }
}
