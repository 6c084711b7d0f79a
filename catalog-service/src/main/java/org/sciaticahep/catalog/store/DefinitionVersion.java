package org.sciaticahep.catalog.store;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import org.sciaticahep.contracts.catalog.CatalogDefinition;

/** One stored version of a definition; versions are never updated, a change adds a row. */
@MappedSuperclass
public abstract class DefinitionVersion<D extends CatalogDefinition> {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "definition_id", nullable = false, updatable = false)
    public String definitionId;

    @Column(nullable = false, updatable = false)
    public int version;

    @Column(name = "defined_at", nullable = false, updatable = false)
    public Instant definedAt;

    protected void stamp(D definition) {
        this.definitionId = definition.id();
        this.version = definition.version();
        this.definedAt = definition.definedAt();
    }

    public abstract D definition();
}
