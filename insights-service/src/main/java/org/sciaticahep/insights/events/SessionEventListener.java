package org.sciaticahep.insights.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.contracts.session.PatientErased;
import org.sciaticahep.contracts.session.SessionEvent;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.insights.domain.ReportIntake;
import org.sciaticahep.insights.store.FactStore;
import org.sciaticahep.insights.store.PatientErasure;
import org.sciaticahep.insights.store.RebuildStore;
import org.sciaticahep.support.Retries;
import org.sciaticahep.support.keys.PatientKeys;
import org.sciaticahep.contracts.PayloadCipher;

/**
 * Consumes {@code session-events} in batches. Each record is checked against the whole contract first: one that
 * breaks it goes to the dead-letter topic with the reason and never reaches the store. The batch is applied in one
 * transaction with each partition's position, so the database says what was applied (a redelivery is skipped, a
 * rebuild is followed by every instance). A database out of reach is waited out; any other failure is retried a
 * few times, then the records are applied one by one and the one that cannot be is dead-lettered, so no record
 * stops the patients behind it.
 */
@ApplicationScoped
public class SessionEventListener {

    private static final Logger LOG = Logger.getLogger(SessionEventListener.class);
    static final String TOPIC = Topics.SESSION_EVENTS.name();
    /** Tries of a batch, and then of a single record, before it is taken for one that cannot be applied. */
    static final int ATTEMPTS = 3;

    @Inject
    ReportIntake intake;

    @Inject
    RebuildStore positions;

    @Inject
    FactStore facts;

    @Inject
    Rebuild rebuild;

    @Inject
    DeadLetters deadLetters;

    @Inject
    PatientKeys keys;

    @Inject
    PatientErasure erasure;

    @Inject
    MeterRegistry metrics;

    /** A reader for each type on session-events, made once (making one for each record was a lookup each time). */
    private Map<String, ObjectReader> readers;

    @Inject
    void readers(ObjectMapper json) {
        // tolerant of fields a newer session-service may add
        ObjectReader reader = json.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        readers = SESSION_EVENTS.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> reader.forType(e.getValue())));
    }

    /**
     * One record as read: the event in it, or why it is not one, or neither: a record of an erased patient, whose key
     * is gone (or, written before records were sealed, whose patient is erased), passed over and counted as erased.
     */
    record Item(ConsumerRecord<String, String> record, ReportIntake.Arrival arrival, String rejected) implements Positions.Placed {

        static Item erased(ConsumerRecord<String, String> record) {
            return new Item(record, null, null);
        }

        boolean isErased() {
            return arrival == null && rejected == null;
        }

        public int partition() {
            return record.partition();
        }

        public long offset() {
            return record.offset();
        }

        Item rejectedFor(String reason) {
            return new Item(record, null, reason);
        }
    }

    @Incoming("session-events-in")
    Uni<Void> apply(ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        return Retries.whileUnavailable(keysOf(all), "reading patients' data keys").chain(keys -> {
            List<Item> items = new ArrayList<>(all.size());
            for (ConsumerRecord<String, String> record : all) {
                // a record without a key has no patient to look up (and the map of none takes no null)
                items.add(read(record, record.key() == null ? null : keys.get(record.key())));
            }
            return deadLetterUnapplied(items).chain(() -> applyAll(items));
        }).onFailure().recoverWithUni(failure -> {
            // Never end consumption: what was not applied is not in the database's positions, so the consumer is
            // sent back there and the records come again.
            LOG.errorf("a batch of %d records failed; sending the consumer back to where insights is: %s", all.size(), failure.toString());
            // a partition insights never applied anything of goes back to the batch's first record of it, not on
            java.util.Map<Integer, Long> first = new java.util.HashMap<>();
            all.forEach(r -> first.merge(r.partition(), r.offset(), Math::min));
            return positions.positions(TOPIC).chain(stored -> {
                java.util.Map<Integer, Long> back = new java.util.HashMap<>();
                first.forEach((p, offset) -> back.put(p, stored.getOrDefault(p, offset)));
                return rebuild.seekBack(back);
            }).onFailure().recoverWithNull().replaceWithVoid();
        });
    }

    /**
     * The data keys of the batch's patients (a valid id only: any other key is dead-lettered anyway). A sealed
     * record whose patient this instance knew of no key a moment ago is looked up again in the store: session-service
     * makes the key just before the patient's first record.
     */
    private Uni<Map<String, PatientKeys.State>> keysOf(List<ConsumerRecord<String, String>> records) {
        List<String> patients = records.stream().map(ConsumerRecord::key).filter(SessionEventContract::validId).distinct().toList();
        if (patients.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return keys.states(patients).chain(states -> {
            // the key's state first: reading a header scans all of the record's, and most patients' keys are known
            List<String> again = records.stream().filter(r -> r.key() != null && unknownKey(states.get(r.key())) && header(r, CloudEventHeaders.ENCRYPTION) != null)
                    .map(ConsumerRecord::key).distinct().toList();
            if (again.isEmpty()) {
                return Uni.createFrom().item(states);
            }
            return keys.statesNow(again).map(now -> {
                Map<String, PatientKeys.State> merged = new java.util.HashMap<>(states);
                merged.putAll(now);
                return merged;
            });
        });
    }

    private static boolean unknownKey(PatientKeys.State state) {
        return state != null && !state.active() && !state.erased();
    }

    private Item read(ConsumerRecord<String, String> record, PatientKeys.State key) {
        try {
            Attributes attributes = Attributes.of(record);
            // the announcement of the erasure is in the clear and always read: it is what deletes the patient here
            if (key != null && key.erased() && !EventTypes.PATIENT_ERASED.equals(attributes.type())) {
                return Item.erased(record);
            }
            SessionEvent event = parse(record, attributes, key);
            List<String> broken = SessionEventContract.violations(event);
            if (!broken.isEmpty()) {
                return new Item(record, null, "breaks the contract: " + String.join("; ", broken));
            }
            if (!event.patientId().equals(record.key())) {
                return new Item(record, null, "the record's key is not the event's patientId");
            }
            return new Item(record, new ReportIntake.Arrival(event,
                    attributes.recordedAt() == null ? null : CloudEventHeaders.instant(attributes.recordedAt())), null);
        } catch (Exception e) {
            // the reason goes with the record; a parser's message may quote the payload, which logs never hold, and
            // of a sealed record nothing opened may reach the dead-letter topic in the clear (it outlives the key)
            boolean sealed = header(record, CloudEventHeaders.ENCRYPTION) != null;
            return new Item(record, null, "not a session event: " + e.getClass().getSimpleName()
                    + (sealed && !(e instanceof IllegalArgumentException) ? "" : ": " + e.getMessage()));
        }
    }

    /** Rejected records not applied yet (by an unlocked look at the positions) go to the dead-letter topic first. */
    private Uni<Void> deadLetterUnapplied(List<Item> items) {
        List<Item> rejected = items.stream().filter(i -> i.rejected() != null).toList();
        if (rejected.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Retries.whileUnavailable(positions.positions(TOPIC), "reading consumer positions").chain(stored ->
                deadLetter(rejected.stream().filter(i -> i.offset() >= stored.getOrDefault(i.partition(), 0L)).toList()));
    }

    private Uni<Void> deadLetter(List<Item> rejected) {
        for (Item i : rejected) {
            MDC.put("patientId", String.valueOf(i.record().key()));
            MDC.put("eventId", String.valueOf(header(i.record(), CloudEventHeaders.ID)));
            LOG.warnf("session-events %d/%d sent to the dead-letter topic: %s", i.partition(), i.offset(),
                    i.rejected().substring(0, Math.min(i.rejected().indexOf(':') + 1, i.rejected().length())));
            MDC.remove("patientId");
            MDC.remove("eventId");
            metrics.counter("insights.events.dead.lettered").increment();
        }
        return deadLetters.send(rejected.stream().map(i -> new DeadLetters.Rejected(i.record(), i.rejected())).toList());
    }

    private Uni<Void> applyAll(List<Item> items) {
        return Retries.atMost(ATTEMPTS, attempt(items), "applying session events")
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("a batch of %d records could not be applied (%s); applying them one by one", items.size(), failure.toString());
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Item item : items) {
                        chain = chain.chain(() -> applyAlone(item));
                    }
                    return chain;
                });
    }

    private Uni<Void> applyAlone(Item item) {
        return Retries.atMost(ATTEMPTS, attempt(List.of(item)), "applying a session event")
                .onFailure().recoverWithUni(failure -> {
                    Item rejected = item.rejectedFor("could not be applied: " + failure.getClass().getSimpleName());
                    return deadLetter(List.of(rejected))
                            .chain(() -> Retries.whileUnavailable(attempt(List.of(rejected)), "passing a dead-lettered record"));
                });
    }

    /** One transaction: the partitions' positions locked, what follows them applied, the positions moved on. */
    private Uni<Void> attempt(List<Item> items) {
        List<Integer> partitions = items.stream().map(Item::partition).distinct().toList();
        Uni<Positions.Claim<Item>> applied = facts.inTransaction(tx -> positions.lockShared(tx)
                .chain(() -> positions.positions(tx, TOPIC, partitions))
                .chain(stored -> {
                    Positions.Claim<Item> claim = Positions.claim(items, stored);
                    List<ReportIntake.Arrival> arrivals = claim.taken().stream().filter(i -> i.arrival() != null)
                            .map(Item::arrival).filter(a -> !(a.event() instanceof PatientErased)).toList();
                    // after the batch's other records: an erasure deletes what they added too
                    List<String> erasedNow = erasures(claim.taken());
                    return intake.apply(tx, arrivals)
                            .chain(() -> erasure.erase(tx, erasedNow))
                            .chain(() -> positions.advance(tx, TOPIC, claim.next()))
                            .replaceWith(claim);
                }));
        // a failed seek is not the batch's failure: the next batch, or the rebuild's tick, sends the consumer back
        return applied.invoke(claim -> {
            erasures(claim.taken()).forEach(keys::forget);
            long skipped = claim.taken().stream().filter(Item::isErased).count();
            if (skipped > 0) {
                metrics.counter("insights.events.erased").increment(skipped);
            }
        }).chain(claim -> claim.behind().isEmpty() ? Uni.createFrom().voidItem() : rebuild.seekBack(claim.behind())
                .onFailure().invoke(e -> LOG.warnf("could not send a consumer back: %s", e.toString())).onFailure().recoverWithNull());
    }

    private static List<String> erasures(List<Item> items) {
        return items.stream().filter(i -> i.arrival() != null && i.arrival().event() instanceof PatientErased)
                .map(i -> i.arrival().event().patientId()).distinct().toList();
    }

    /** What each type on session-events is read as (a type whose record is not a session event fails at start). */
    private static final Map<String, Class<? extends SessionEvent>> SESSION_EVENTS = EventTypes.ALL.stream()
            .filter(m -> m.topic().equals(Topics.SESSION_EVENTS))
            .collect(Collectors.toUnmodifiableMap(EventTypes.Message::type, m -> m.payload().asSubclass(SessionEvent.class)));

    /**
     * The record's event: its value opened with the patient's key when it is sealed (bound to the record's key, id
     * and type, so a sealed body moved to another record does not open), as it is when written in the clear
     * (before session-service sealed records: a rebuild reads those too).
     */
    private SessionEvent parse(ConsumerRecord<String, String> record, Attributes attributes, PatientKeys.State key) throws Exception {
        String type = attributes.type();
        if (type == null) {
            throw new IllegalArgumentException("no ce_type header");
        }
        ObjectReader reader = readers.get(type);
        if (reader == null) {
            throw new IllegalArgumentException("unknown ce_type " + type + " (not a type of " + Topics.SESSION_EVENTS.name() + ")");
        }
        String encryption = attributes.encryption();
        if (encryption == null) {
            return reader.readValue(record.value());
        }
        if (!CloudEventHeaders.A256GCM.equals(encryption)) {
            throw new IllegalArgumentException("unknown ce_encryption " + encryption);
        }
        if (key == null || !key.active()) {
            throw new IllegalArgumentException("sealed, and no data key is known for its patient");
        }
        return reader.readValue(PayloadCipher.openBody(key.key(), record.value(),
                PayloadCipher.recordContext(record.key(), attributes.id(), type)));
    }

    /**
     * The CloudEvents attributes a record is read by, taken in one pass over its headers (looking each up scanned
     * them all again); as {@link #header}, the last of a name counts and one without a value is absent.
     */
    record Attributes(String type, String encryption, String id, String recordedAt) {

        static Attributes of(ConsumerRecord<?, ?> record) {
            String type = null;
            String encryption = null;
            String id = null;
            String recordedAt = null;
            for (Header h : record.headers()) {
                switch (h.key()) {
                    case CloudEventHeaders.TYPE -> type = text(h);
                    case CloudEventHeaders.ENCRYPTION -> encryption = text(h);
                    case CloudEventHeaders.ID -> id = text(h);
                    case CloudEventHeaders.RECORDED_AT -> recordedAt = text(h);
                    default -> {
                    }
                }
            }
            return new Attributes(type, encryption, id, recordedAt);
        }
    }

    private static String text(Header h) {
        return h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A header's value; one without a value (Kafka allows it) is taken as absent. */
    static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : text(h);
    }
}
