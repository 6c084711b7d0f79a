package org.sciaticahep.support;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Not live once a Kafka client thread of this service has died ({@link KafkaThreads}): the service can no longer
 * consume or publish and only a restart brings the thread back, so the liveness probe asks for one.
 */
@Liveness
@ApplicationScoped
public class KafkaThreadsLiveness implements HealthCheck {

    private final KafkaThreads threads = new KafkaThreads();

    void stop(@Observes ShutdownEvent event) {
        threads.stopJudging();
    }

    @Override
    public HealthCheckResponse call() {
        List<String> dead = threads.dead();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Kafka client threads")
                .withData("watching", threads.watching());
        return dead.isEmpty() ? response.up().build() : response.down().withData("dead", String.join(", ", dead)).build();
    }
}
