package org.sciaticahep.insights;

import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.sciaticahep.catalogcopy.CatalogCopy;

/**
 * What every pipeline test needs: the real upstream services started and insights' catalog copy filled, and
 * insights' database to wait on until posted events are applied.
 */
abstract class PipelineTest {

    @Inject
    CatalogCopy catalog;

    @Inject
    Pool db;

    @BeforeEach
    void pipeline() {
        Clinic.ready(catalog);
    }
}
