package org.sciaticahep.catalog.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;

@Entity
@Table(name = "exercise_version")
public class ExerciseVersion extends DefinitionVersion<ExerciseDefinition> {

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false)
    public ExerciseDefinition document;

    protected ExerciseVersion() {
    }

    public ExerciseVersion(ExerciseDefinition definition) {
        stamp(definition);
        this.document = definition;
    }

    @Override
    public ExerciseDefinition definition() {
        return document;
    }
}
