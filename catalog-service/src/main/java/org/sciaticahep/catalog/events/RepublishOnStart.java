package org.sciaticahep.catalog.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.sciaticahep.catalog.domain.ExerciseCatalog;
import org.sciaticahep.catalog.domain.ProgramCatalog;

/**
 * On every start, queue every version of each definition for publication, oldest first, so a consumer that starts
 * on an empty topic (a new environment, a topic recreated) still receives the full catalog, and a copy keeps every
 * program version a patient may have been enrolled on although the compacted topic keeps only the newest.
 */
@ApplicationScoped
public class RepublishOnStart {

    private static final Logger LOG = Logger.getLogger(RepublishOnStart.class);

    void onStart(@Observes StartupEvent start, ExerciseCatalog exercises, ProgramCatalog programs,
                 MeterRegistry metrics) throws Throwable {
        int queued = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> exercises.enqueueAllVersions()
                        .chain(e -> programs.enqueueAllVersions().map(p -> e + p))));
        metrics.counter("catalog.definitions.republished").increment(queued);
        LOG.infof("queued %d definition versions for republication", queued);
    }
}
