package org.sciaticahep.catalog.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.hibernate.exception.ConstraintViolationException;
import org.sciaticahep.catalog.store.DefinitionStore;
import org.sciaticahep.catalog.store.DefinitionVersion;
import org.sciaticahep.catalog.store.PublicationOutbox;
import org.sciaticahep.contracts.catalog.CatalogDefinition;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Violations;
import org.sciaticahep.support.outbox.Outbox;

/**
 * Versioned definitions of one kind: every create or change is validated, stored as a new version and put in the
 * outbox in the same transaction, so nothing is stored without being published, nor published without being stored.
 */
public abstract class VersionedCatalog<D extends CatalogDefinition> {

    /** What a kind of definition is called and where it is published. */
    public record Kind(String noun, String topic, String eventType) {
    }

    private final DefinitionStore<D, ? extends DefinitionVersion<D>> store;
    private final PublicationOutbox outbox;
    private final ObjectMapper json;
    private final Kind kind;

    protected VersionedCatalog(DefinitionStore<D, ? extends DefinitionVersion<D>> store, PublicationOutbox outbox,
                               ObjectMapper json, Kind kind) {
        this.store = store;
        this.outbox = outbox;
        this.json = json;
        this.kind = kind;
    }

    /** Adds this kind's violations of {@code draft} to {@code v}; may look things up, hence a Uni. */
    protected abstract Uni<Void> validate(D draft, Violations v);

    public Kind kind() {
        return kind;
    }

    DefinitionStore<D, ? extends DefinitionVersion<D>> store() {
        return store;
    }

    public Uni<List<D>> current() {
        return Panache.withSession(store::current);
    }

    public Uni<D> get(String id) {
        return Panache.withSession(() -> store.latest(id)).map(this::orNotFound);
    }

    public Uni<List<D>> versions(String id) {
        return Panache.withSession(() -> store.versions(id)).invoke(list -> {
            if (list.isEmpty()) {
                orNotFound(null);
            }
        });
    }

    public Uni<D> create(D draft) {
        Violations v = Violations.collect();
        if (!v.present(draft, "body")) {
            v.throwIfAny();
        }
        DefinitionRules.id(draft.id(), v);
        return Panache.withTransaction(() -> validate(draft, v)
                .invoke(v::throwIfAny)
                .chain(() -> store.latest(draft.id()))
                .chain(existing -> {
                    if (existing != null) {
                        throw ProblemException.conflict(kind.noun + " '" + draft.id() + "' exists; PUT a new version instead");
                    }
                    return appendAndPublish(stamp(draft, draft.id(), 1));
                }))
                .onFailure(VersionedCatalog::isUniqueViolation).transform(e -> concurrentWrite(draft.id()));
    }

    /**
     * Stores {@code draft} as the next version of {@code id}. When the draft names a version, it must be the
     * current one: an editor working from a stale copy gets 409 instead of silently overwriting a colleague.
     */
    public Uni<D> update(String id, D draft) {
        Violations v = Violations.collect();
        if (!v.present(draft, "body")) {
            v.throwIfAny();
        }
        v.check(draft.id() == null || Objects.equals(draft.id(), id), "id", "must match the id in the path, or be left out");
        return Panache.withTransaction(() -> validate(draft, v)
                .invoke(v::throwIfAny)
                .chain(() -> store.latest(id))
                .chain(current -> {
                    orNotFound(current);
                    if (draft.version() != null && !draft.version().equals(current.version())) {
                        throw ProblemException.conflict(kind.noun + " '" + id + "' is at version " + current.version()
                                + ", not " + draft.version() + "; reload it and apply the change again");
                    }
                    return appendAndPublish(stamp(draft, id, current.version() + 1));
                }))
                .onFailure(VersionedCatalog::isUniqueViolation).transform(e -> concurrentWrite(id));
    }

    /** Puts every version of every definition in the outbox again, oldest first (must run inside a transaction). */
    public Uni<Integer> enqueueAllVersions() {
        return store.all().chain(all -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (D d : all) {
                chain = chain.chain(() -> enqueue(d));
            }
            return chain.replaceWith(all.size());
        });
    }

    private Uni<D> appendAndPublish(D version) {
        return store.append(version).call(this::enqueue);
    }

    private Uni<Void> enqueue(D definition) {
        String payload;
        try {
            payload = json.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        // the same version republished is the same fact: consumers may drop it by id
        return outbox.enqueue(new Outbox.Event(kind.topic, definition.id(),
                kind.noun + "/" + definition.id() + "/v" + definition.version(), kind.eventType, definition.definedAt(), payload));
    }

    private D orNotFound(D definition) {
        if (definition == null) {
            throw ProblemException.notFound("no such " + kind.noun);
        }
        return definition;
    }

    private ProblemException concurrentWrite(String id) {
        return ProblemException.conflict(kind.noun + " '" + id + "' was changed at the same time; reload it and try again");
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked") // every CatalogDefinition returns its own type from asVersion
    private D stamp(D draft, String id, int version) {
        // microseconds: what PostgreSQL keeps, so a definition reads back exactly as it was published
        return (D) draft.asVersion(id, version, Instant.now().truncatedTo(ChronoUnit.MICROS));
    }
}
