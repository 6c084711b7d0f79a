package org.sciaticahep.session.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.sciaticahep.catalogcopy.CatalogCopy;

/**
 * Not ready until the catalog copy holds exercises and programs: before the first definitions arrive from Kafka,
 * every invitation and every exercise would be refused as unknown (a first start with an empty database). Once
 * known, the copy survives restarts in this service's database, so a catalog outage later does not matter here.
 */
@Readiness
@ApplicationScoped
public class CatalogCopyReadiness implements HealthCheck {

    @Inject
    CatalogCopy catalog;

    @Override
    public HealthCheckResponse call() {
        int exercises = catalog.exerciseCount();
        int programs = catalog.programCount();
        return HealthCheckResponse.named("Catalog copy").status(exercises > 0 && programs > 0)
                .withData("exercises", exercises).withData("programs", programs).build();
    }
}
