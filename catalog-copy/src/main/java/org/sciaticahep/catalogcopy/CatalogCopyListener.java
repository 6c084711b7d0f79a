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

    @Inject
    CatalogCopy copy;

    @Incoming("exercise-catalog-in")
    Uni<Void> exercise(String document) {
        try {
            return Retries.untilDone(copy.acceptExercise(document), "storing an exercise definition");
        } catch (JsonProcessingException e) {
            return skip("exercise-catalog", e);
        }
    }

    @Incoming("program-catalog-in")
    Uni<Void> program(String document) {
        try {
            return Retries.untilDone(copy.acceptProgram(document), "storing a program definition");
        } catch (JsonProcessingException e) {
            return skip("program-catalog", e);
        }
    }

    // An unreadable definition must not stop the copy: every later definition would be missed.
    private static Uni<Void> skip(String topic, JsonProcessingException e) {
        LOG.errorf("skipped an unreadable record on %s: %s", topic, e.getOriginalMessage());
        return Uni.createFrom().voidItem();
    }
}
