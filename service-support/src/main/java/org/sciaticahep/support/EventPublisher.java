package org.sciaticahep.support;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;
import org.sciaticahep.contracts.CloudEventHeaders;

/**
 * Puts outbox rows on Kafka through a channel's producer (configured by the SmallRye Kafka connector): JSON value,
 * CloudEvents attributes as {@code ce_*} headers (binary mode), key chosen by the caller. A whole batch is handed
 * to the producer at once, in order; its idempotence keeps each partition's order, also across retries.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    /**
     * One event to publish; {@code subject} and {@code recordedAt} may be null; {@code encryption} names how the
     * payload was sealed ({@link CloudEventHeaders#A256GCM}), null when it is the JSON body in the clear.
     */
    public record OutgoingEvent(String topic, String key, String id, String type, String source, String subject,
                                Instant time, Instant recordedAt, String payload, String encryption) {
    }

    @Inject
    KafkaClientService kafka;

    /** Sends {@code events} in order; answers, for each, whether Kafka acknowledged it. Never fails. */
    public Uni<List<Boolean>> publish(String channel, List<OutgoingEvent> events) {
        // Kafka acknowledges on its network thread; the caller goes on where it was (Hibernate Reactive needs its
        // Vert.x context, and the producer's I/O thread should not do the caller's database work)
        Context caller = Vertx.currentContext();
        List<CompletableFuture<Boolean>> acks = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            acks.add(new CompletableFuture<>());
        }
        // one hop to the connector's sending thread for the whole batch, not one per record
        AtomicBoolean refused = new AtomicBoolean();
        return kafka.<String, String>getProducer(channel).runOnSendingThread(producer -> {
                    for (int i = 0; i < events.size(); i++) {
                        OutgoingEvent event = events.get(i);
                        CompletableFuture<Boolean> ack = acks.get(i);
                        try {
                            producer.send(record(event), (metadata, error) -> {
                                if (error != null) {
                                    refused.set(true);
                                    LOG.warnf("Kafka did not acknowledge a record for %s: %s", event.topic(), error.toString());
                                }
                                ack.complete(error == null);
                            });
                        } catch (RuntimeException e) {
                            LOG.warnf("Kafka refused a record for %s: %s", event.topic(), e.toString());
                            ack.complete(false);
                        }
                        if (refused.get() || ack.isDone() && !ack.join()) {
                            // one refused (at once: no metadata within max.block.ms, as while the broker is away; or
                            // already from the network thread): the rest are not handed over, or the ones Kafka took
                            // after it would be sent again with it
                            acks.subList(i + 1, acks.size()).forEach(rest -> rest.complete(false));
                            break;
                        }
                    }
                })
                .chain(() -> Uni.createFrom().completionStage(CompletableFuture.allOf(acks.toArray(new CompletableFuture[0]))))
                .map(done -> acks.stream().map(CompletableFuture::join).toList())
                .onFailure().recoverWithItem(() -> acks.stream().map(a -> a.getNow(false)).toList())
                .emitOn(caller == null ? Runnable::run : task -> caller.runOnContext(nothing -> task.run()));
    }

    static ProducerRecord<String, String> record(OutgoingEvent e) {
        ProducerRecord<String, String> record = new ProducerRecord<>(e.topic(), e.key(), e.payload());
        Headers h = record.headers();
        header(h, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(h, CloudEventHeaders.ID, e.id());
        header(h, CloudEventHeaders.TYPE, e.type());
        header(h, CloudEventHeaders.SOURCE, e.source());
        header(h, CloudEventHeaders.TIME, e.time().toString());
        header(h, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        if (e.subject() != null) {
            header(h, CloudEventHeaders.SUBJECT, e.subject());
        }
        if (e.recordedAt() != null) {
            header(h, CloudEventHeaders.RECORDED_AT, e.recordedAt().toString());
        }
        if (e.encryption() != null) {
            header(h, CloudEventHeaders.ENCRYPTION, e.encryption());
        }
        return record;
    }

    private static void header(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
