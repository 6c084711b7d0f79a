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
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.support.outbox.Outbox;

/**
 * The relay's and the backlog gauge's statements (service-support's {@link Outbox}) cost what they return, not what
 * the outbox once held: after a backlog was mostly published (statistics still taken while it was whole, as
 * autovacuum leaves them for a while), a round reads one round of rows from the head and the gauge one row besides
 * its count. Checked on the real server's plan (EXPLAIN ANALYZE): a sort of the whole outbox would read every row.
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
    void relayAndBacklogReadOnlyWhatWaits() throws Exception {
        try (Connection db = database.getConnection()) {
            db.setAutoCommit(false);
            try (Statement sql = db.createStatement()) {
                // a backlog, as after a Kafka outage, of which the relay has published all but the last rows
                sql.execute(Outbox.INSERT + " SELECT 'session-events', 'plan-' || (g % 100), gen_random_uuid()::text, "
                        + "'exercise.completed', now(), now(), repeat('x', 250) FROM generate_series(1, " + (PUBLISHED + WAITING) + ") g");
                sql.execute("ANALYZE outbox");
                sql.execute("DELETE FROM outbox WHERE seq NOT IN (SELECT seq FROM outbox ORDER BY seq DESC LIMIT " + WAITING + ")");

                JsonNode relay = plan(sql, Outbox.HEAD.replace("$1", Integer.toString(ROUND)));
                assertEquals(ROUND, relay.path("Actual Rows").asInt(), relay.toString());
                assertTrue(rowsReadFrom(relay, "outbox") <= ROUND, relay.toString());

                JsonNode backlog = plan(sql, Outbox.BACKLOG);
                assertTrue(rowsReadFrom(backlog, "outbox") <= WAITING + 1, backlog.toString());
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
