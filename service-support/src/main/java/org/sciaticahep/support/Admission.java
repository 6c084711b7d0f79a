package org.sciaticahep.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Load shedding: past {@code service.http.max-in-flight} requests being served at once, a new one is answered
 * 503 with Retry-After at once, before anything else is done for it. Overload then costs clients a retry (apps
 * resend with the same event ids) instead of piling requests up in a small heap until the service dies of it.
 * Health probes are always let through.
 */
@ApplicationScoped
public class Admission {

    /** Runs before authentication and everything else (a route's order is minus its filter priority). */
    static final int FIRST = 10_000;
    static final String BUSY = """
            {"type":"urn:problem:busy","title":"Service Unavailable","status":503,"detail":"too many requests at once; try again shortly with the same request","violations":[]}""";

    private final AtomicInteger inFlight = new AtomicInteger();

    @ConfigProperty(name = "service.http.max-in-flight")
    int maxInFlight;

    void register(@Observes Filters filters, MeterRegistry metrics) {
        Counter shed = Counter.builder("http.server.requests.shed")
                .description("Requests answered 503 at once because too many were being served").register(metrics);
        filters.register(request -> {
            if (request.normalizedPath().startsWith("/q/health")) {
                request.next();
                return;
            }
            if (inFlight.incrementAndGet() > maxInFlight) {
                inFlight.decrementAndGet();
                shed.increment();
                request.response().setStatusCode(503).putHeader("Retry-After", "1")
                        .putHeader("Content-Type", Problem.MEDIA_TYPE).end(BUSY);
                return;
            }
            request.addEndHandler(done -> inFlight.decrementAndGet());
            request.next();
        }, FIRST);
    }
}
