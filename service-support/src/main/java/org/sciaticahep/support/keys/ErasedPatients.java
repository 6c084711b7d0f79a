package org.sciaticahep.support.keys;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestFilter;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.ProblemMappers;

/**
 * An erased patient answers 404 on every route with a {@code patientId}, to every caller and for every method, as
 * if they had never been: reads, an app's late posts, a new invitation under the same id (an erased patient's id is
 * never used again). Only the erasure itself (DELETE, so that an interrupted one can be completed) and the access log
 * (whose entries hold no health data and end with the erasure) go through.
 */
@Provider
@IfBuildProperty(name = PatientKeys.ENABLED, stringValue = "true")
public class ErasedPatients implements ResteasyReactiveContainerRequestFilter {

    @Inject
    PatientKeys keys;

    @Override
    public void filter(ResteasyReactiveContainerRequestContext request) {
        String patientId = request.getUriInfo().getPathParameters().getFirst("patientId");
        // the erasure, to complete one; the access log, which keeps who read the patient's data and the erasure itself
        if (!SessionEventContract.validId(patientId) || HttpMethod.DELETE.equals(request.getMethod())
                || request.getUriInfo().getPath().endsWith("/access-log")) {
            return;
        }
        request.suspend();
        keys.states(List.of(patientId)).subscribe().with(states -> {
            if (states.get(patientId).erased()) {
                request.abortWith(ProblemMappers.respond(ProblemException.notFound("no such patient").problem()));
            }
            request.resume();
        }, failure -> {
            // the keys' store out of reach: the caller tries again, as for any other store that is away
            request.abortWith(ProblemMappers.respond(ProblemException.unavailable("patient records are unavailable for a moment").problem(), 5));
            request.resume();
        });
    }
}
