package org.sciaticahep.support.outbox;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How a service relays its outbox ({@code outbox.*}; shared defaults in service-support's
 * META-INF/microprofile-config.properties).
 */
@ConfigMapping(prefix = "outbox")
public interface OutboxConfig {

    /** The outgoing channel (SmallRye Kafka connector) whose idempotent producer, {@code acks=all}, publishes the rows. */
    String channel();

    /** The relay lock's name: one relay among all instances of the service. */
    String lock();

    /** ce_source of every event the service publishes. */
    String source();

    /** Rows a round takes from the head at most; a full round is followed at once by the next. */
    int batchSize();

    /** How long the relay waits after a round that was not full (the outbox was drained). */
    Duration idleDelay();

    /** Whether the records carry ce_recordedat (the row's recorded_at): session-events do, for insights' delays. */
    boolean recordedAtHeader();

    /**
     * Topics whose records are sealed under the data key of the patient their key names (session-service:
     * session-events; keys/PatientKeys). A row of an erased patient is not published there but dropped.
     */
    Optional<Set<String>> sealedTopics();
}
