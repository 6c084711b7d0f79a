package org.sciaticahep.insights.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sciaticahep.contracts.session.PrescriptionVersion;

/** Each enrollment's prescription versions as published, stored once each (a redelivered version adds nothing). */
@ApplicationScoped
public class PrescriptionStore {

    /** A version of an enrollment's prescription, as an event of {@code patientId} carried it. */
    public record Stored(String patientId, UUID enrollmentId, PrescriptionVersion version) {
    }

    @Inject
    ObjectMapper json;

    private ObjectReader reader;

    @PostConstruct
    void reader() {
        reader = json.readerFor(PrescriptionVersion.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Stores each version once, for the enrollment it names if that is the event's patient's. */
    public Uni<Void> add(SqlConnection tx, List<Stored> versions) {
        if (versions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(versions.size());
        for (Stored s : versions) {
            rows.add(Tuple.of(s.enrollmentId(), s.version().version(), s.version().effectiveFrom(), write(s.version()), s.patientId()));
        }
        // only to the patient's own enrollment: an event keyed to one patient never changes another's plan
        return tx.preparedQuery("""
                        INSERT INTO prescription_version (enrollment_id, version, effective_from, document)
                        SELECT $1::uuid, $2::int, $3::date, $4::text WHERE EXISTS (SELECT 1 FROM enrollment WHERE enrollment_id = $1 AND patient_id = $5)
                        ON CONFLICT DO NOTHING""")
                .executeBatch(rows).replaceWithVoid();
    }

    /** The versions of each enrollment that has any, in version order. */
    public Uni<Map<UUID, List<PrescriptionVersion>>> of(SqlClient db, Collection<UUID> enrollmentIds) {
        if (enrollmentIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return db.preparedQuery("SELECT enrollment_id, document FROM prescription_version WHERE enrollment_id = ANY($1) ORDER BY enrollment_id, version")
                .execute(Tuple.of((Object) enrollmentIds.toArray(new UUID[0]))).map(rows -> {
                    Map<UUID, List<PrescriptionVersion>> all = new HashMap<>();
                    for (Row r : rows) {
                        all.computeIfAbsent(r.getUUID(0), k -> new ArrayList<>()).add(read(r.getString(1)));
                    }
                    return all;
                });
    }

    private String write(PrescriptionVersion version) {
        try {
            return json.writeValueAsString(version);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    PrescriptionVersion read(String document) {
        try {
            return reader.readValue(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
