package org.sciaticahep.support;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * For consumers of a topic: what a record asks for must happen before the next record is taken, so a database out
 * of reach (restarting, most often) is waited out instead of ending consumption for good; it shows as growing
 * consumer lag, which ops are alerted to. Any other failure is tried a bounded number of times: a record that can
 * never be applied must not stop every record behind it.
 */
public final class Retries {

    private static final Logger LOG = Logger.getLogger(Retries.class);

    private Retries() {
    }

    /**
     * Retries {@code work} for as long as the database is out of reach; any other failure is the caller's to handle
     * (a record that can never be applied must not stop the ones behind it).
     */
    public static <T> Uni<T> whileUnavailable(Uni<T> work, String what) {
        return work.onFailure(Unavailable::database).invoke(e -> LOG.warnf("%s: the database is out of reach, trying again: %s", what, e.toString()))
                .onFailure(Unavailable::database).retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(15)).indefinitely();
    }

    /**
     * Retries while the database is out of reach, and any other failure up to {@code attempts} tries in all; then
     * fails with it, for the caller to set the record aside.
     */
    public static <T> Uni<T> atMost(int attempts, Uni<T> work, String what) {
        return whileUnavailable(work, what).onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .atMost(attempts - 1);
    }
}
