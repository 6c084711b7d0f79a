package org.sciaticahep.catalogcopy;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The newest version this service has seen of one catalog definition, as the JSON the catalog published. */
@Entity
@Table(name = "catalog_copy")
public class CopiedDefinition {

    @Id
    @Column(name = "definition_key")
    public String key;

    @Column(nullable = false)
    public int version;

    @Column(nullable = false)
    public String document;
}
