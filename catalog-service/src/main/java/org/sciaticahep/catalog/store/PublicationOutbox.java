package org.sciaticahep.catalog.store;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.sciaticahep.support.outbox.Outbox;

/**
 * Puts catalog events in the service's {@link Outbox} (service-support's relay publishes them), in the caller's
 * Hibernate Reactive transaction: the catalog writes through Hibernate, whose connection the reactive client's
 * {@link Outbox#enqueue} cannot share, so the same insert goes through the session.
 */
@ApplicationScoped
public class PublicationOutbox {

    public Uni<Void> enqueue(Outbox.Event event) {
        return Panache.getSession().chain(s -> s.createNativeMutationQuery(Outbox.INSERT + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                        .setParameter(1, event.topic())
                        .setParameter(2, event.key())
                        .setParameter(3, event.eventId())
                        .setParameter(4, event.type())
                        .setParameter(5, event.occurredAt())
                        .setParameter(6, Outbox.now())
                        .setParameter(7, event.payloadJson())
                        .executeUpdate())
                .replaceWithVoid();
    }
}
