package org.sciaticahep.insights.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * session-service, which owns prescriptions and enrollments, as the dashboard calls it: always with the signed-in
 * clinician's own bearer token ({@code authorization}), so session-service decides who may, as for any caller.
 */
@RegisterRestClient(configKey = "session-service")
@Path("/patients/{patientId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface SessionService {

    @GET
    @Path("prescription")
    Uni<JsonNode> prescription(@HeaderParam("Authorization") String authorization, @PathParam("patientId") String patientId);

    @PUT
    @Path("prescription")
    Uni<JsonNode> prescribe(@HeaderParam("Authorization") String authorization, @PathParam("patientId") String patientId,
                            Map<String, Object> version);

    /** {@code action}: pause, resume or stop. */
    @POST
    @Path("prescription/items/{exerciseId}/{action}")
    Uni<JsonNode> changeItem(@HeaderParam("Authorization") String authorization, @PathParam("patientId") String patientId,
                             @PathParam("exerciseId") String exerciseId, @PathParam("action") String action,
                             Map<String, Object> change);

    @POST
    @Path("enrollments/{enrollmentId}/end")
    Uni<JsonNode> endCare(@HeaderParam("Authorization") String authorization, @PathParam("patientId") String patientId,
                          @PathParam("enrollmentId") String enrollmentId, Map<String, Object> ending);
}
