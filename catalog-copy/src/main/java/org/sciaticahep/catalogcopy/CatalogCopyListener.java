package org.sciaticahep.catalogcopy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.sciaticahep.support.Retries;

/** Feeds both catalog topics into the {@link CatalogCopy}. */
@ApplicationScoped
public class CatalogCopyListener {

    private static final Logger LOG = Logger.getLogger(CatalogCopyListener.class);
    static final int ATTEMPTS = 3;

    @Inject
    CatalogCopy copy;

    @Incoming("exercise-catalog-in")
    Uni<Void> exercise(String document) {
        try {
            return stored(copy.acceptExercise(document), "exercise-catalog");
        } catch (JsonProcessingException e) {
            return skip("exercise-catalog", e);
        }
    }

    @Incoming("program-catalog-in")
    Uni<Void> program(String document) {
        try {
            return stored(copy.acceptProgram(document), "program-catalog");
        } catch (JsonProcessingException e) {
            return skip("program-catalog", e);
        }
    }

    /** Waits out the database; a definition that cannot be stored otherwise is skipped, not retried for ever. */
    private static Uni<Void> stored(Uni<Void> work, String topic) {
        return Retries.atMost(ATTEMPTS, work, "storing a definition from " + topic).onFailure().recoverWithUni(e -> {
            LOG.errorf("skipped a definition on %s that could not be stored: %s", topic, e.toString());
            return Uni.createFrom().voidItem();
        });
    }

    // An unreadable definition must not stop the copy: every later definition would be missed.
    private static Uni<Void> skip(String topic, JsonProcessingException e) {
        LOG.errorf("skipped an unreadable record on %s: %s", topic, e.getOriginalMessage());
        return Uni.createFrom().voidItem();
    }
}
