package org.sciaticahep.insights.api;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.sciaticahep.insights.events.Rebuild;
import org.sciaticahep.support.Problem;

/**
 * While insights is being rebuilt, patients' data, the review queue and the dashboard answer 503 with Retry-After
 * instead of half-rebuilt figures (probes, metrics and the rebuild's own status stay open). So they do too until
 * this instance has read whether a rebuild is under way, and when it has not known for a while: another instance
 * may have begun one.
 */
@ApplicationScoped
public class RebuildGate {

    static final String REBUILDING = """
            {"type":"urn:problem:rebuilding","title":"Service Unavailable","status":503,"detail":"insights is being rebuilt from session-events (or cannot tell yet whether it is); try again shortly"}""";

    @Inject
    Rebuild rebuild;

    void register(@Observes Filters filters) {
        filters.register(request -> {
            // matrix parameters (";x") are dropped by routing: without them here, "/patients;x" would pass the gate
            String path = request.normalizedPath().replaceAll(";[^/]*", "");
            if ((path.equals("/") || path.startsWith("/patients/") || path.equals("/patients") || path.startsWith("/flags/")
                    || path.startsWith("/review-queue") || path.startsWith("/dashboard/")) && rebuild.readsWait()) {
                request.response().setStatusCode(503).putHeader("Retry-After", "5")
                        .putHeader("Content-Type", Problem.MEDIA_TYPE).end(REBUILDING);
                return;
            }
            request.next();
        }, 100);
    }
}
