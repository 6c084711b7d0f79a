package org.sciaticahep.support;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Kafka cluster answers, within two seconds: a probe must answer quickly, also when the
 * broker is gone (the built-in checks can wait for the client's default one-minute timeout).
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    @Inject
    KafkaAdmin kafka;

    @Override
    public HealthCheckResponse call() {
        try {
            int nodes = kafka.client().describeCluster(new DescribeClusterOptions().timeoutMs(KafkaAdmin.TIMEOUT_MS))
                    .nodes().get(KafkaAdmin.TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS).size();
            return HealthCheckResponse.named("Kafka cluster").up().withData("nodes", nodes).build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return HealthCheckResponse.named("Kafka cluster").down()
                    .withData("bootstrap.servers", kafka.bootstrapServers()).build();
        }
    }
}
