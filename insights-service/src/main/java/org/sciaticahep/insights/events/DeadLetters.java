package org.sciaticahep.insights.events;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.sciaticahep.contracts.Topics;

/**
 * Records that are not session events (not JSON, an unknown type) go, unchanged and with the reason in their
 * headers, to the dead-letter topic, so one bad record never stops the patients' events behind it.
 */
@ApplicationScoped
public class DeadLetters {

    /** The service's one producer, for review-flags and the dead-letter topic alike. */
    static final String CHANNEL = "insights-out";

    /** A record that could not be applied, and why. */
    public record Rejected(ConsumerRecord<String, String> record, String reason) {
    }

    @Inject
    KafkaClientService kafka;

    /** Below the producer's 1 MiB request limit by room for the headers added here. */
    static final long COPIED_WHOLE_AT_MOST = 1_040_000;

    /** The record's key, value and headers in bytes, as the broker took them. */
    static long size(ConsumerRecord<String, String> r) {
        long size = Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
        for (Header h : r.headers()) {
            size += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    Uni<Void> send(List<Rejected> rejected) {
        if (rejected.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
        CompletableFuture<?>[] sent = new CompletableFuture<?>[rejected.size()];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = new CompletableFuture<Void>();
        }
        // the producer's sending thread only hands the records over; waiting for Kafka happens here, not on it
        // (the flag relay shares that thread)
        return kafka.<String, String>getProducer(CHANNEL).runOnSendingThread(producer -> {
            for (int i = 0; i < rejected.size(); i++) {
                ConsumerRecord<String, String> r = rejected.get(i).record();
                // a record near Kafka's size limit would not take the added headers: its copy goes without the value
                // (a send refused every time would hold the batch for ever)
                boolean whole = size(r) <= COPIED_WHOLE_AT_MOST;
                ProducerRecord<String, String> copy = new ProducerRecord<>(Topics.SESSION_EVENTS_DEAD_LETTERS.name(), r.key(),
                        whole ? r.value() : null);
                for (Header h : r.headers()) {
                    copy.headers().add(h);
                }
                if (!whole) {
                    copy.headers().add("dead-letter-value-dropped", String.valueOf(size(r)).getBytes(StandardCharsets.UTF_8));
                }
                copy.headers().add("dead-letter-reason", rejected.get(i).reason().getBytes(StandardCharsets.UTF_8));
                copy.headers().add("dead-letter-topic", r.topic().getBytes(StandardCharsets.UTF_8));
                copy.headers().add("dead-letter-partition", String.valueOf(r.partition()).getBytes(StandardCharsets.UTF_8));
                copy.headers().add("dead-letter-offset", String.valueOf(r.offset()).getBytes(StandardCharsets.UTF_8));
                @SuppressWarnings("unchecked")
                CompletableFuture<Void> done = (CompletableFuture<Void>) sent[i];
                try {
                    producer.send(copy, (metadata, error) -> {
                        if (error == null) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(error);
                        }
                    });
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }
        }).chain(() -> Uni.createFrom().completionStage(CompletableFuture.allOf(sent)))
                // the batch is committed only once its rejects are safely on the dead-letter topic
                .replaceWithVoid()
                // and goes on where it was, not on Kafka's network thread
                .emitOn(caller == null ? Runnable::run : task -> caller.runOnContext(nothing -> task.run()));
    }
}
