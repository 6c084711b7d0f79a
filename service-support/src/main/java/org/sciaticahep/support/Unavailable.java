package org.sciaticahep.support;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;

/** Whether a failure means the database is out of reach for now (down, restarting), not that a request was wrong. */
final class Unavailable {

    private Unavailable() {
    }

    static boolean database(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            // SocketException: a connection reset by a server going down while a statement was on its way
            if (e instanceof ConnectException || e instanceof SocketException || e instanceof ClosedConnectionException) {
                return true;
            }
            // 08: connection exceptions; 57P: the server is shutting down or starting up
            if (e instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
            if (e.getMessage() != null && (e.getMessage().contains("Connection refused") || e.getMessage().contains("Pool closed"))) {
                return true;
            }
        }
        return false;
    }
}
