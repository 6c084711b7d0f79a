package org.sciaticahep.contracts.catalog;

import java.time.Instant;

/** What exercises and programs have in common: an id chosen by the editor and a version the catalog assigns. */
public interface CatalogDefinition {

    String id();

    Integer version();

    Instant definedAt();

    /** A copy stamped by the catalog as the given version; implementations return their own type. */
    CatalogDefinition asVersion(String id, int version, Instant definedAt);
}
