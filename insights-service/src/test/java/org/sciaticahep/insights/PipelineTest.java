package org.sciaticahep.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.insights.store.FactStore;

/**
 * What every pipeline test needs: the real upstream services started and insights' catalog copy filled, and
 * insights' database to wait on until posted events are applied.
 */
abstract class PipelineTest {

    @Inject
    CatalogCopy catalog;

    @Inject
    Pool db;

    @BeforeEach
    void pipeline() {
        Clinic.ready(catalog);
    }

    /** Each daily aggregate of the patient, kept as events arrived, equals what their facts give (the views). */
    void assertAggregatesMatchFacts(String patientId) {
        for (String table : FactStore.AGGREGATES) {
            long differing = db.preparedQuery("""
                            SELECT count(*) FROM ((SELECT * FROM %1$s WHERE patient_id = $1 EXCEPT ALL
                                                   SELECT * FROM %1$s_from_facts WHERE patient_id = $1)
                                                  UNION ALL
                                                  (SELECT * FROM %1$s_from_facts WHERE patient_id = $1 EXCEPT ALL
                                                   SELECT * FROM %1$s WHERE patient_id = $1)) d""".formatted(table))
                    .execute(Tuple.of(patientId)).await().indefinitely().iterator().next().getLong(0);
            assertEquals(0, differing, table + " of " + patientId + " differs from its facts in " + differing + " rows");
        }
    }

    /** The patient's daily aggregates as text, to compare before and after. */
    List<String> aggregates(String patientId) {
        List<String> rows = new ArrayList<>();
        for (String table : FactStore.AGGREGATES) {
            db.preparedQuery("SELECT * FROM " + table + " WHERE patient_id = $1 ORDER BY 1, 2, 3, 4").execute(Tuple.of(patientId))
                    .await().indefinitely().forEach(r -> {
                        StringBuilder row = new StringBuilder(table);
                        for (int i = 0; i < r.size(); i++) {
                            row.append(' ').append(r.getValue(i));
                        }
                        rows.add(row.toString());
                    });
        }
        return rows;
    }
}
