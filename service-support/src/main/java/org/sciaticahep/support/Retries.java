package org.sciaticahep.support;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * For consumers of a topic: what a record asks for must happen before the next record is taken, so a failure
 * (the database restarting, most often) is retried until it passes instead of ending consumption for good.
 * A consumer that cannot get past a record shows as growing consumer lag, which ops are alerted to.
 */
public final class Retries {

    private static final Logger LOG = Logger.getLogger(Retries.class);

    private Retries() {
    }

    public static <T> Uni<T> untilDone(Uni<T> work, String what) {
        return work.onFailure().invoke(e -> LOG.warnf("%s failed, trying again: %s", what, e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(15)).indefinitely();
    }
}
