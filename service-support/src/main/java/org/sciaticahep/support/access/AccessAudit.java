package org.sciaticahep.support.access;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.ProblemMappers;
import org.sciaticahep.support.Roles;

/**
 * Adds an {@link AccessLog} entry for every read of one patient's data: a GET of a route with a {@code patientId}
 * (the API's reads and the dashboard's patient page alike), allowed or not, by a caller with a valid token. A read is
 * refused before it starts when its entry could not be kept. Not entries: a request without a valid token (refused
 * by the HTTP layer before any route, or sent to sign in), an id no patient can have, the lists of many patients
 * (review queue, patient list) and the answers of writes.
 */
@Provider
@IfBuildProperty(name = AccessLog.ENABLED, stringValue = "true")
public class AccessAudit implements ContainerRequestFilter, ContainerResponseFilter {

    static final String PATIENT_ID = "patientId";

    @Inject
    AccessLog log;

    @Inject
    SecurityIdentity caller;

    @Context
    ResourceInfo resource;

    /** Each resource method's route, such as {@code /patients/{patientId}/pain}, worked out once. */
    private static final Map<Method, String> ROUTES = new ConcurrentHashMap<>();

    @Override
    public void filter(ContainerRequestContext request) {
        if (audited(request) && !log.accepting()) {
            request.abortWith(ProblemMappers.respond(ProblemException.unavailable(
                    "reads of patient data wait until who reads them can be recorded").problem()));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!audited(request)) {
            return;
        }
        AccessLog.Outcome outcome = outcome(response.getStatus());
        if (outcome == null) {
            return; // malformed, or failed before anything was read: no patient's data went anywhere
        }
        String patientId = request.getUriInfo().getPathParameters().getFirst(PATIENT_ID);
        if (caller.isAnonymous() || !SessionEventContract.validId(patientId)) {
            // nobody to name (sent to sign in), or an id no patient can have: no patient's data was anywhere near
            return;
        }
        log.record(caller.getPrincipal().getName(), role(patientId), patientId, request.getMethod() + " " + route(), outcome);
    }

    static AccessLog.Outcome outcome(int status) {
        if (status >= 200 && status < 300) {
            return AccessLog.Outcome.ALLOWED;
        }
        if ((status >= 300 && status < 400) || status == 401 || status == 403) {
            return AccessLog.Outcome.REFUSED;
        }
        return status == 404 ? AccessLog.Outcome.NOT_FOUND : null;
    }

    private static boolean audited(ContainerRequestContext request) {
        return (HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod()))
                && request.getUriInfo().getPathParameters().containsKey(PATIENT_ID);
    }

    /** The role the caller read in: the patient themselves, else the most specific role their token carries. */
    private String role(String patientId) {
        if (caller.hasRole(Roles.PATIENT) && caller.getPrincipal().getName().equals(patientId)) {
            return Roles.PATIENT;
        }
        for (String role : new String[] {Roles.CLINICIAN, Roles.ADMIN, Roles.OPS, Roles.CATALOG_EDITOR, Roles.PATIENT}) {
            if (caller.hasRole(role)) {
                return role;
            }
        }
        return "none";
    }

    private String route() {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return "?";
        }
        return ROUTES.computeIfAbsent(method, m -> {
            Path type = resource.getResourceClass().getAnnotation(Path.class);
            Path path = m.getAnnotation(Path.class);
            String route = (type == null ? "" : type.value()) + (path == null ? "" : "/" + path.value());
            return ("/" + route).replaceAll("/+", "/");
        });
    }
}
