package org.sciaticahep.support;

import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.sciaticahep.contracts.CloudEventHeaders;

/**
 * Builds the Kafka records every service sends: JSON payload, CloudEvents attributes as {@code ce_*} headers
 * (written by the connector in binary mode), record key chosen by the caller for per-key ordering.
 */
public final class CloudEventMessages {

    private CloudEventMessages() {
    }

    public static Message<String> message(OutgoingEvent event) {
        OutgoingCloudEventMetadata<String> cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withId(event.id())
                .withType(event.type())
                .withSource(URI.create(event.source()))
                .withSubject(event.subject())
                .withTimestamp(event.time().atZone(ZoneOffset.UTC))
                .withDataContentType(CloudEventHeaders.JSON)
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.topic())
                .withKey(event.key())
                .build();
        return Message.of(event.payloadJson(), Metadata.of(cloudEvent, kafka));
    }

    /** Everything a relay needs to put one event on Kafka; {@code subject} may be null. */
    public record OutgoingEvent(String topic, String key, String id, String type, String source, String subject,
                                Instant time, String payloadJson) {
    }
}
