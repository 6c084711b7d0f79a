package org.sciaticahep.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Whether a Kafka client thread this JVM had has died: the producer's network thread, a consumer's heartbeat
 * thread, the connector's polling thread. In the incident an OutOfMemoryError killed a consumer's heartbeat thread
 * and a producer's network thread; the heap recovered and the service answered every probe while it could neither
 * consume nor publish any more. Such a thread never comes back, so a service without it must be restarted.
 *
 * <p>Each look remembers the watched threads alive at that moment (weakly: a client closed and collected is
 * forgotten with its threads) and reports those of them no longer alive; once reported, a death stays reported.
 * A thread that came and went between two looks was never seen and does not count. Nothing is judged once the
 * application shuts down, when the clients close their threads on purpose.
 */
public final class KafkaThreads {

    /** Name prefixes of the threads watched (Kafka's and the SmallRye connector's own names). */
    static final List<String> WATCHED = List.of("kafka-producer-network-thread", "kafka-coordinator-heartbeat-thread",
            "smallrye-kafka-consumer-thread");
    /** Deaths remembered at most (names only; a service has a handful of such threads). */
    static final int MAX_DEAD = 32;

    private final Map<Thread, Boolean> seen = new WeakHashMap<>();
    private final Set<String> dead = new LinkedHashSet<>();
    private boolean judging = true;

    /** Looks at the threads alive in this JVM now; answers the names of watched threads that died (empty: none). */
    public List<String> dead() {
        return dead(Thread.getAllStackTraces().keySet());
    }

    /** Looks at {@code live}; answers the names of watched threads seen earlier that are not alive any more. */
    public synchronized List<String> dead(Collection<Thread> live) {
        if (!judging) {
            return List.of();
        }
        for (Thread thread : live) {
            if (thread.isAlive() && watched(thread.getName())) {
                seen.put(thread, Boolean.TRUE);
            }
        }
        for (Iterator<Thread> i = seen.keySet().iterator(); i.hasNext(); ) {
            Thread thread = i.next();
            if (!thread.isAlive()) {
                i.remove();
                if (dead.size() < MAX_DEAD) {
                    dead.add(thread.getName());
                }
            }
        }
        return new ArrayList<>(dead);
    }

    /** How many watched threads are alive as of the last look. */
    public synchronized int watching() {
        return seen.size();
    }

    /** The application is shutting down: its clients end their threads on purpose. */
    public synchronized void stopJudging() {
        judging = false;
    }

    static boolean watched(String name) {
        for (String prefix : WATCHED) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
