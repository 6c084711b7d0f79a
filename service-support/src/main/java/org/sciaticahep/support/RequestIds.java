package org.sciaticahep.support;

import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Puts the ids a request is about (patient, flag) into the logging context, so every line logged for it carries
 * them as fields (JSON logs: LOG_JSON=true). Ids only: never what a patient reported.
 */
public class RequestIds {

    static final String[] IDS = {"patientId", "flagId"};

    @ServerRequestFilter
    public void ids(UriInfo uri) {
        for (String id : IDS) {
            String value = uri.getPathParameters().getFirst(id);
            if (value != null) {
                MDC.put(id, value);
            }
        }
    }
}
