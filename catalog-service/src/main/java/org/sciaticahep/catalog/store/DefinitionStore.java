package org.sciaticahep.catalog.store;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.sciaticahep.contracts.catalog.CatalogDefinition;

/** Reads and appends versions of one kind of definition, inside the caller's reactive session. */
public final class DefinitionStore<D extends CatalogDefinition, E extends DefinitionVersion<D>> {

    private final Class<E> entity;
    private final Function<D, E> toEntity;
    private final String name;

    public DefinitionStore(Class<E> entity, Function<D, E> toEntity) {
        this.entity = entity;
        this.toEntity = toEntity;
        this.name = entity.getSimpleName();
    }

    /** The highest version of every definition, ordered by id. */
    public Uni<List<D>> current() {
        String query = "from " + name + " e where e.version = (select max(v.version) from " + name
                + " v where v.definitionId = e.definitionId) order by e.definitionId";
        return Panache.getSession()
                .chain(s -> s.createSelectionQuery(query, entity).getResultList())
                .map(DefinitionStore::definitions);
    }

    /** Every version of every definition, by id and version (the newest of each last). */
    public Uni<List<D>> all() {
        String query = "from " + name + " order by definitionId, version";
        return Panache.getSession()
                .chain(s -> s.createSelectionQuery(query, entity).getResultList())
                .map(DefinitionStore::definitions);
    }

    /** The current version, or null for an unknown id. */
    public Uni<D> latest(String id) {
        return Panache.getSession()
                .chain(s -> s.createSelectionQuery("from " + name + " where definitionId = :id order by version desc", entity)
                        .setParameter("id", id)
                        .setMaxResults(1)
                        .getSingleResultOrNull())
                .map(e -> e == null ? null : e.definition());
    }

    public Uni<List<D>> versions(String id) {
        return Panache.getSession()
                .chain(s -> s.createSelectionQuery("from " + name + " where definitionId = :id order by version", entity)
                        .setParameter("id", id)
                        .getResultList())
                .map(DefinitionStore::definitions);
    }

    /** Which of the given ids exist. */
    public Uni<Set<String>> known(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Panache.getSession()
                .chain(s -> s.createSelectionQuery("select distinct definitionId from " + name + " where definitionId in :ids", String.class)
                        .setParameter("ids", ids)
                        .getResultList())
                .map(HashSet::new);
    }

    public Uni<D> append(D definition) {
        E row = toEntity.apply(definition);
        return Panache.getSession().chain(s -> s.persist(row).chain(s::flush)).replaceWith(definition);
    }

    private static <D extends CatalogDefinition, E extends DefinitionVersion<D>> List<D> definitions(List<E> rows) {
        return rows.stream().map(DefinitionVersion::definition).toList();
    }
}
