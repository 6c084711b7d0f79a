package org.sciaticahep.insights.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.sciaticahep.insights.events.Rebuild;
import org.sciaticahep.support.Roles;

@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {

    @Inject
    Rebuild rebuild;

    @POST
    @Path("rebuild")
    @RolesAllowed(Roles.OPS)
    @Operation(summary = "Reset insights and replay session-events from the beginning (acknowledgements are not replayed)")
    public Uni<Map<String, Object>> rebuild() {
        return rebuild.fromTheBeginning().map(partitions -> Map.of("rewoundPartitions", partitions.size()));
    }
}
