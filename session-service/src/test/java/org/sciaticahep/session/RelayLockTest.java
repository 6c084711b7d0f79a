package org.sciaticahep.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.sciaticahep.session.SessionFixture.PER_SIDE;
import static org.sciaticahep.session.SessionFixture.exercise;
import static org.sciaticahep.session.SessionFixture.minutesAgo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.support.RelayLock;

/**
 * The relay's lock: one instance relays (another instance's try on the same name fails while this one holds it),
 * and relaying holds no transaction open while Kafka is waited for (the old transaction-scoped lock sat idle in
 * transaction for as long as Kafka took, hours in an outage, keeping vacuum from its work).
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "session"))
class RelayLockTest {

    /** The relay's lock name (outbox.lock in application.properties). */
    static final String LOCK = "session-events-outbox";

    @Inject
    CatalogCopy catalog;

    @Inject
    Pool pool;

    @Inject
    AgroalDataSource database;

    @BeforeEach
    void catalog() throws Exception {
        SessionFixture.publishCatalog(catalog);
    }

    @Test
    void anotherInstanceCannotTakeTheLockThisInstancesRelayHolds() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> holdersOfTheLock() == 1);
        RelayLock another = new RelayLock(pool, LOCK);
        try {
            assertFalse(another.held().await().atMost(Duration.ofSeconds(10)), "a second relay took the held lock");
            assertEquals(1, holdersOfTheLock(), "the relay still holds it");
        } finally {
            another.close();
        }
    }

    @Test
    void noTransactionStaysOpenWhileEventsArePublished() throws Exception {
        String patient = SessionFixture.newPatient();
        int idleInTransaction = 0;
        for (int batch = 0; batch < 5; batch++) {
            List<Map<String, Object>> events = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                events.add(exercise(PER_SIDE, "LEFT", 1, 3, minutesAgo(300 - batch * 50 - i)));
            }
            As.patient(patient).contentType(ContentType.JSON).body(events).post("/patients/" + patient + "/events").then()
                    .statusCode(202);
            // sampled while the relay publishes the batch (no request of ours is in flight meanwhile)
            for (int sample = 0; sample < 40; sample++) {
                idleInTransaction = Math.max(idleInTransaction, count("""
                        SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND datname = current_database()"""));
                Thread.sleep(5);
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM outbox") == 0);
        assertEquals(0, idleInTransaction, "a connection sat idle in transaction while events were published");
    }

    /** Sessions other than this one holding the relay's advisory lock (a 32-bit key: its low half is objid). */
    private int holdersOfTheLock() throws Exception {
        try (Connection db = database.getConnection();
             PreparedStatement sql = db.prepareStatement("""
                     SELECT count(*) FROM pg_locks
                     WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND pid <> pg_backend_pid()
                       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                       AND objid::bigint = (hashtext(?)::bigint & 4294967295)""")) {
            sql.setString(1, LOCK);
            try (ResultSet rs = sql.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private int count(String query) throws Exception {
        try (Connection db = database.getConnection()) {
            db.setAutoCommit(true); // the sampling connection itself never sits in a transaction
            try (PreparedStatement sql = db.prepareStatement(query); ResultSet rs = sql.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
