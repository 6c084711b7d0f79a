package org.sciaticahep.support;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * One outbox relay at a time among all instances of a service: a PostgreSQL session-level advisory lock
 * ({@code pg_try_advisory_lock(hashtext(name))}) held on a connection of its own for as long as this instance
 * relays. No transaction is ever open on that connection, so a relay waiting for Kafka's acknowledgement (hours,
 * in a broker outage) holds no snapshot and keeps no vacuum from its work; a transaction-scoped lock had to stay
 * idle in transaction all that time. A relay round is then: {@link #held()}, read the outbox's head, publish,
 * delete what Kafka acknowledged, each statement on its own (autocommit).
 *
 * <p>When the connection breaks, PostgreSQL has ended the session and released the lock, so another instance may
 * hold it now: the connection is dropped and the lock taken again, if free, on a later round. Meant for one relay
 * loop calling it one round at a time.
 */
public final class RelayLock {

    private static final Logger LOG = Logger.getLogger(RelayLock.class);
    /** A connection that does not answer a trivial query in this time is taken for broken. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

    private final Pool pool;
    private final String name;
    /** The connection whose session holds the lock; null while this instance does not hold it. */
    private final AtomicReference<SqlConnection> holder = new AtomicReference<>();
    private volatile boolean closed;

    public RelayLock(Pool pool, String name) {
        this.pool = pool;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Whether this instance holds the lock, taking it when it is free. Fails when the database cannot be reached
     * (the round fails and is tried again). Answers on the caller's Vert.x context: the relay goes on where it was
     * (Hibernate Reactive needs its own context), whichever event loop the lock's connection lives on.
     */
    public Uni<Boolean> held() {
        Context caller = Vertx.currentContext();
        return check().emitOn(caller == null ? Runnable::run : task -> caller.runOnContext(nothing -> task.run()));
    }

    private Uni<Boolean> check() {
        if (closed) {
            return Uni.createFrom().item(false);
        }
        SqlConnection connection = holder.get();
        if (connection == null) {
            return acquire();
        }
        // the same session still answers, so it still holds the lock: only its end or an unlock releases it
        return connection.query("SELECT 1").execute()
                .ifNoItem().after(CHECK_TIMEOUT).fail()
                .replaceWith(true)
                .onFailure().recoverWithItem(failure -> {
                    if (holder.compareAndSet(connection, null)) {
                        LOG.warnf("lost the %s relay lock with its connection (%s); taking it again when it is free", name,
                                failure.toString());
                        release(connection);
                    }
                    return false;
                });
    }

    private Uni<Boolean> acquire() {
        return pool.getConnection().chain(connection -> connection
                .preparedQuery("SELECT pg_try_advisory_lock(hashtext($1))").execute(Tuple.of(name))
                .map(rows -> rows.iterator().next().getBoolean(0))
                .onFailure().call(() -> connection.close().onFailure().recoverWithNull())
                .chain(locked -> {
                    if (!locked) {
                        // another instance relays; this connection holds nothing and goes back to the pool
                        return connection.close().replaceWith(false);
                    }
                    if (closed || !holder.compareAndSet(null, connection)) {
                        release(connection);
                        return Uni.createFrom().item(false);
                    }
                    // a closed connection has released the lock in PostgreSQL: forget it, take the lock again later
                    connection.closeHandler(() -> {
                        if (holder.compareAndSet(connection, null)) {
                            LOG.warnf("the connection holding the %s relay lock closed; taking it again when it is free", name);
                        }
                    });
                    LOG.infof("this instance now relays %s", name);
                    return Uni.createFrom().item(true);
                }));
    }

    /** Releases the lock and its connection (at shutdown), so another instance takes over at once. */
    public void close() {
        closed = true;
        SqlConnection connection = holder.getAndSet(null);
        if (connection != null) {
            release(connection);
        }
    }

    /**
     * Unlocks before the connection goes back to the pool: a connection that still worked must not carry the lock
     * into other work. Never waits: a broken connection may not answer at all.
     */
    private static void release(SqlConnection connection) {
        connection.query("SELECT pg_advisory_unlock_all()").execute()
                .onFailure().recoverWithNull()
                .chain(() -> connection.close())
                .subscribe().with(done -> { }, failure -> { });
    }
}
