package org.sciaticahep.support;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The service's relay locks, on connections of its reactive pool, released when the service stops. */
@ApplicationScoped
public class RelayLocks {

    @Inject
    Pool pool;

    private final Map<String, RelayLock> locks = new ConcurrentHashMap<>();

    public RelayLock named(String name) {
        return locks.computeIfAbsent(name, n -> new RelayLock(pool, n));
    }

    void release(@Observes ShutdownEvent event) {
        locks.values().forEach(RelayLock::close);
    }
}
