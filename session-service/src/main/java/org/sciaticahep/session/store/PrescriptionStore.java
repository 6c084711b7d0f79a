package org.sciaticahep.session.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.session.domain.WrittenVersion;

/**
 * The versions of each enrollment's prescription (V6). A version is only ever added, never changed; whoever adds one
 * holds the enrollment's row lock ({@link EnrollmentStore#lock}, {@link EnrollmentStore#lockActive}), so the
 * numbers of an enrollment's versions are 1, 2, 3… without a gap.
 */
@ApplicationScoped
public class PrescriptionStore {

    @Inject
    Pool pool;

    @Inject
    ObjectMapper json;

    /** Every version of the enrollment's prescription, oldest first; empty for an enrollment accepted before V6. */
    public Uni<List<WrittenVersion>> versions(UUID enrollmentId) {
        return versions(pool, enrollmentId);
    }

    public Uni<List<WrittenVersion>> versions(SqlConnection tx, UUID enrollmentId) {
        return versions((SqlClient) tx, enrollmentId);
    }

    private Uni<List<WrittenVersion>> versions(SqlClient client, UUID enrollmentId) {
        return client.preparedQuery("""
                        SELECT p.enrollment_id, e.patient_id, p.document::text, p.changed_by, p.changed_at
                        FROM prescription_version p JOIN enrollment e ON e.enrollment_id = p.enrollment_id
                        WHERE p.enrollment_id = $1 ORDER BY p.version""")
                .execute(Tuple.of(enrollmentId))
                .map(rows -> {
                    List<WrittenVersion> found = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        found.add(new WrittenVersion(r.getUUID(0), r.getString(1), read(r.getString(2)), r.getString(3),
                                r.getOffsetDateTime(4).toInstant()));
                    }
                    return found;
                });
    }

    /** The document is bound as text, which PostgreSQL parses: a string bound to jsonb would be stored as one JSON string. */
    public Uni<Void> insert(SqlConnection tx, WrittenVersion w) {
        PrescriptionVersion p = w.prescription();
        return tx.preparedQuery("""
                        INSERT INTO prescription_version (enrollment_id, version, effective_from, document, changed_by, changed_at)
                        VALUES ($1, $2, $3, $4::text::jsonb, $5, $6)""")
                .execute(Tuple.tuple(List.of(w.enrollmentId(), p.version(), p.effectiveFrom(), write(p), w.changedBy(),
                        EventLog.utc(w.changedAt()))))
                .replaceWithVoid();
    }

    private PrescriptionVersion read(String document) {
        try {
            return json.readValue(document, PrescriptionVersion.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored prescription version cannot be read", e);
        }
    }

    private String write(PrescriptionVersion p) {
        try {
            return json.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
