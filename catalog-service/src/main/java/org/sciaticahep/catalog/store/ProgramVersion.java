package org.sciaticahep.catalog.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.sciaticahep.contracts.catalog.ProgramDefinition;

@Entity
@Table(name = "program_version")
public class ProgramVersion extends DefinitionVersion<ProgramDefinition> {

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    public ProgramDefinition document;

    protected ProgramVersion() {
    }

    public ProgramVersion(ProgramDefinition definition) {
        stamp(definition);
        this.document = definition;
    }

    @Override
    public ProgramDefinition definition() {
        return document;
    }
}
