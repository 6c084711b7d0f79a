package org.sciaticahep.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failures are answered 503 "try again" (the database away) and which 500 (a fault of ours). */
class UnavailableTest {

    @Test
    void aDatabaseGoingAwayIsUnavailableHoweverDeepTheCause() {
        assertTrue(Unavailable.database(new ConnectException("Connection refused")));
        // a statement on its way when the server went down: the FaultTest's PostgreSQL stop met this as a 500
        assertTrue(Unavailable.database(new CompletionException(new SocketException("Connection reset"))));
        assertTrue(Unavailable.database(new PgException("terminating connection due to administrator command", "FATAL", "57P01", null)));
        assertTrue(Unavailable.database(new PgException("the database system is starting up", "FATAL", "57P03", null)));
        // passing conflicts and overload: waited out by consumers, 503 with Retry-After for apps
        assertTrue(Unavailable.database(new PgException("deadlock detected", "ERROR", "40P01", null)));
        assertTrue(Unavailable.database(new PgException("could not serialize access", "ERROR", "40001", null)));
        assertTrue(Unavailable.database(new PgException("could not obtain lock", "ERROR", "55P03", null)));
        assertTrue(Unavailable.database(new PgException("canceling statement due to statement timeout", "ERROR", "57014", null)));
        assertTrue(Unavailable.database(new PgException("sorry, too many clients already", "FATAL", "53300", null)));
        assertTrue(Unavailable.database(new CompletionException(new java.util.concurrent.TimeoutException("Timeout"))));
    }

    @Test
    void aRequestOrCodeFaultIsNot() {
        assertFalse(Unavailable.database(new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null)));
        assertFalse(Unavailable.database(new IllegalStateException("Result is already complete")));
        assertFalse(Unavailable.database(new CompletionException(new NullPointerException())));
    }
}
