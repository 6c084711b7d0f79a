package org.sciaticahep.support.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.sciaticahep.contracts.PayloadCipher;

/**
 * The patients' data keys, kept in the {@code patient-keys} database that session-service and insights-service both
 * reach (a stand-in for a key management service): session-service makes a patient's key when it first publishes a
 * record of theirs and destroys it when the patient is erased; insights-service reads keys to open records. Keys are
 * stored wrapped under the master key ({@code patient-keys.master-key}); this class unwraps them and keeps them in
 * memory for a few minutes (an erasure by another instance reaches this one's memory within that time; see
 * docs/architecture.md, Erasure).
 */
@ApplicationScoped
@IfBuildProperty(name = PatientKeys.ENABLED, stringValue = "true")
public class PatientKeys {

    /** Build property: this service seals or opens patients' records. */
    public static final String ENABLED = "service.patient-keys";

    /** A patient's key as the store has it: a key, erased (a tombstone, no key), or never made. */
    public record State(byte[] key, boolean erased) {
        public static final State UNKNOWN = new State(null, false);
        public static final State ERASED = new State(null, true);

        public boolean active() {
            return key != null;
        }
    }

    static final Duration ACTIVE_KEPT = Duration.ofMinutes(5);
    /** An id with no key yet gets one any moment (session-service makes it with the patient's first record). */
    static final Duration UNKNOWN_KEPT = Duration.ofSeconds(5);
    static final int CACHED = 50_000;

    @Inject
    @ReactiveDataSource("patient-keys")
    Pool pool;

    @ConfigProperty(name = "patient-keys.master-key")
    String masterKeyBase64;

    private byte[] master;

    private final Cache<String, State> cache = Caffeine.newBuilder()
            .maximumSize(CACHED)
            .expireAfter(new Expiry<String, State>() {
                @Override
                public long expireAfterCreate(String id, State state, long now) {
                    // an erasure is for ever
                    return (state.erased() ? Duration.ofDays(1) : state.active() ? ACTIVE_KEPT : UNKNOWN_KEPT).toNanos();
                }

                @Override
                public long expireAfterUpdate(String id, State state, long now, long current) {
                    return expireAfterCreate(id, state, now);
                }

                @Override
                public long expireAfterRead(String id, State state, long now, long current) {
                    return current;
                }
            })
            .build();

    @PostConstruct
    void master() {
        master = masterKey(masterKeyBase64);
    }

    /** The master key from its configured base64; a service without a proper one does not start. */
    static byte[] masterKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("patient-keys.master-key (PATIENT_KEY_MASTER) is not base64");
        }
        if (key.length != PayloadCipher.KEY_BYTES) {
            throw new IllegalStateException("patient-keys.master-key (PATIENT_KEY_MASTER) must be " + PayloadCipher.KEY_BYTES
                    + " random bytes in base64, not " + key.length);
        }
        return key;
    }

    /** The patients' states, from memory where known, else from the store in one query. */
    public Uni<Map<String, State>> states(Collection<String> patientIds) {
        Map<String, State> known = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String id : new LinkedHashSet<>(patientIds)) {
            State s = cache.getIfPresent(id);
            if (s == null) {
                missing.add(id);
            } else {
                known.put(id, s);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(known);
        }
        return read(missing).map(read -> {
            known.putAll(read);
            return known;
        });
    }

    /** The patients' states from the store itself, past anything this instance remembers. */
    public Uni<Map<String, State>> statesNow(Collection<String> patientIds) {
        return read(List.copyOf(new LinkedHashSet<>(patientIds)));
    }

    /**
     * The patients' keys, made for those who have none yet (session-service, before sealing their first record). An
     * erased patient gets no new key: their state stays {@link State#ERASED}.
     */
    public Uni<Map<String, State>> keysFor(Collection<String> patientIds) {
        return states(patientIds).chain(states -> {
            List<String> unknown = states.entrySet().stream().filter(e -> !e.getValue().active() && !e.getValue().erased())
                    .map(Map.Entry::getKey).toList();
            if (unknown.isEmpty()) {
                return Uni.createFrom().item(states);
            }
            byte[][] wrapped = new byte[unknown.size()][];
            for (int i = 0; i < unknown.size(); i++) {
                wrapped[i] = PayloadCipher.seal(master, PayloadCipher.newKey(), PayloadCipher.keyContext(unknown.get(i)));
            }
            // two instances making the same patient's key at once: the first one written is everyone's
            return pool.preparedQuery("""
                            INSERT INTO patient_key (patient_id, wrapped_key, created_at)
                            SELECT unnest($1::text[]), unnest($2::bytea[]), now() ON CONFLICT (patient_id) DO NOTHING""")
                    .execute(Tuple.of(unknown.toArray(new String[0]), byteaArray(wrapped)))
                    .chain(() -> read(unknown))
                    .map(made -> {
                        Map<String, State> all = new HashMap<>(states);
                        all.putAll(made);
                        return all;
                    });
        });
    }

    /** What the store held for a patient before {@link #erase}. */
    public enum Before { KEY, TOMBSTONE, NOTHING }

    /** Destroys the patient's key and leaves their tombstone; answers what the store had before. */
    public Uni<Before> erase(String patientId) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT wrapped_key IS NOT NULL, erased_at IS NOT NULL FROM patient_key WHERE patient_id = $1 FOR UPDATE")
                .execute(Tuple.of(patientId))
                .chain(rows -> {
                    Before before = rows.size() == 0 ? Before.NOTHING
                            : rows.iterator().next().getBoolean(1) ? Before.TOMBSTONE : Before.KEY;
                    return tx.preparedQuery("""
                                    INSERT INTO patient_key (patient_id, wrapped_key, created_at, erased_at) VALUES ($1, NULL, $2, $2)
                                    ON CONFLICT (patient_id) DO UPDATE SET wrapped_key = NULL,
                                        erased_at = coalesce(patient_key.erased_at, EXCLUDED.erased_at)""")
                            .execute(Tuple.of(patientId, OffsetDateTime.now(ZoneOffset.UTC)))
                            .replaceWith(before);
                }))
                .invoke(() -> cache.put(patientId, State.ERASED));
    }

    /** What this instance remembers of the patient is dropped: the next look goes to the store. */
    public void forget(String patientId) {
        cache.invalidate(patientId);
    }

    private Uni<Map<String, State>> read(List<String> patientIds) {
        return pool.preparedQuery("SELECT patient_id, wrapped_key, erased_at IS NOT NULL FROM patient_key WHERE patient_id = ANY($1)")
                .execute(Tuple.of(patientIds.toArray(new String[0])))
                .map(rows -> {
                    Map<String, State> found = new HashMap<>();
                    for (Row r : rows) {
                        String id = r.getString(0);
                        found.put(id, r.getBoolean(2) ? State.ERASED
                                : new State(PayloadCipher.open(master, r.getBuffer(1).getBytes(), PayloadCipher.keyContext(id)), false));
                    }
                    for (String id : patientIds) {
                        found.putIfAbsent(id, State.UNKNOWN);
                    }
                    // a look that started before an erasure here never puts the key back over it
                    found.forEach((id, state) -> cache.asMap().merge(id, state, (was, now) -> was.erased() ? was : now));
                    found.replaceAll((id, state) -> cache.asMap().getOrDefault(id, state).erased() ? State.ERASED : state);
                    return found;
                });
    }

    private static io.vertx.core.buffer.Buffer[] byteaArray(byte[][] values) {
        io.vertx.core.buffer.Buffer[] buffers = new io.vertx.core.buffer.Buffer[values.length];
        for (int i = 0; i < values.length; i++) {
            buffers[i] = io.vertx.core.buffer.Buffer.buffer(values[i]);
        }
        return buffers;
    }
}
