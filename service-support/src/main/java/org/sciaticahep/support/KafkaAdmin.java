package org.sciaticahep.support;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import io.smallrye.common.annotation.Identifier;

/**
 * One admin client per service for questions about the cluster (is it there, how far behind is a consumer group),
 * with short timeouts: whoever asks (a probe, a metric) must get an answer quickly, also when the broker is gone.
 */
@ApplicationScoped
public class KafkaAdmin {

    public static final int TIMEOUT_MS = 2000;

    private final Map<String, Object> connection = new HashMap<>();
    private Admin admin;

    /** Where the broker is and how to log in to it: the service's own {@code kafka.*} settings, as its channels use. */
    KafkaAdmin(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        kafka.forEach((key, value) -> {
            if (key.equals(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) || key.equals(AdminClientConfig.SECURITY_PROTOCOL_CONFIG)
                    || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                connection.put(key, value);
            }
        });
    }

    public String bootstrapServers() {
        return String.valueOf(connection.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    public synchronized Admin client() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(connection);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
            admin = Admin.create(config);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
