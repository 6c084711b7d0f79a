package org.sciaticahep.support;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;

/**
 * Whether a failure is the database's passing state (down, restarting, overloaded, a lock conflict), to be waited out,
 * not something wrong with what was asked of it.
 */
public final class Unavailable {

    private Unavailable() {
    }

    public static boolean database(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            // SocketException: a connection reset by a server going down while a statement was on its way
            if (e instanceof ConnectException || e instanceof SocketException || e instanceof ClosedConnectionException) {
                return true;
            }
            // 08: connection exceptions; 57P: shutting down or starting up; 53: out of resources (too many
            // connections); 40001/40P01: serialization failure, deadlock; 55P03: lock not available; 57014: cancelled
            if (e instanceof PgException pg && pg.getSqlState() != null && (pg.getSqlState().startsWith("08")
                    || pg.getSqlState().startsWith("57P") || pg.getSqlState().startsWith("53") || pg.getSqlState().equals("40001")
                    || pg.getSqlState().equals("40P01") || pg.getSqlState().equals("55P03") || pg.getSqlState().equals("57014"))) {
                return true;
            }
            // the pool had no connection to give within its timeout (Vert.x' timeout is one of these)
            if (e instanceof java.util.concurrent.TimeoutException || e instanceof io.smallrye.mutiny.TimeoutException) {
                return true;
            }
            if (e.getMessage() != null && (e.getMessage().contains("Connection refused") || e.getMessage().contains("Pool closed"))) {
                return true;
            }
        }
        return false;
    }
}
