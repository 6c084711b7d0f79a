package org.sciaticahep.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.sciaticahep.session.store.EventLog;
import org.sciaticahep.stack.StackTestResource;

/**
 * The relay's and the backlog gauge's statements cost what they return, not what the log holds: after a backlog
 * was mostly published (statistics still taken while it was whole, as autovacuum leaves them for a while),
 * PostgreSQL reads from the log only the events of one round. Checked on the real server's plan (EXPLAIN ANALYZE):
 * the join these statements replaced read the log from its first event on every round.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "session"))
class OutboxQueryPlanTest {

    static final int PUBLISHED = 50_000;
    static final int WAITING = 5_000;
    static final int ROUND = 1_000;

    @Inject
    AgroalDataSource database;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void relayAndBacklogReadOnlyTheOutboxesEventsFromTheLog() throws Exception {
        try (Connection db = database.getConnection()) {
            db.setAutoCommit(false);
            try (Statement sql = db.createStatement()) {
                // a backlog, as after a Kafka outage, of which the relay has published all but the last events
                sql.execute("INSERT INTO patient_event (event_id, patient_id, type, occurred_at, recorded_at, content_hash, payload) "
                        + "SELECT gen_random_uuid(), 'plan-' || (g % 100), 'exercise.completed', now(), now(), 'h', repeat('x', 250) "
                        + "FROM generate_series(1, " + (PUBLISHED + WAITING) + ") g");
                sql.execute("INSERT INTO outbox (seq) SELECT seq FROM patient_event");
                sql.execute("ANALYZE patient_event");
                sql.execute("ANALYZE outbox");
                sql.execute("DELETE FROM outbox WHERE seq NOT IN (SELECT seq FROM patient_event ORDER BY seq DESC LIMIT " + WAITING + ")");

                JsonNode relay = plan(sql, EventLog.UNPUBLISHED.replace("$1", Integer.toString(ROUND)));
                assertEquals(ROUND, relay.path("Actual Rows").asInt(), relay.toString());
                assertTrue(rowsReadFrom(relay, "patient_event") <= ROUND, relay.toString());

                JsonNode backlog = plan(sql, EventLog.BACKLOG);
                assertTrue(rowsReadFrom(backlog, "patient_event") <= 1, backlog.toString());
            } finally {
                // nothing of this test stays for the relay to publish
                db.rollback();
            }
        }
    }

    private JsonNode plan(Statement sql, String statement) throws Exception {
        try (ResultSet rs = sql.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + statement)) {
            rs.next();
            return json.readTree(rs.getString(1)).get(0).path("Plan");
        }
    }

    /** Rows the plan's scans of a table returned, over all their loops. */
    private static long rowsReadFrom(JsonNode node, String table) {
        long rows = table.equals(node.path("Relation Name").asText())
                ? node.path("Actual Rows").asLong() * node.path("Actual Loops").asLong() : 0;
        for (JsonNode child : node.path("Plans")) {
            rows += rowsReadFrom(child, table);
        }
        return rows;
    }
}
