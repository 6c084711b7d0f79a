package org.sciaticahep.catalog.store;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class PublicationOutbox implements PanacheRepository<PendingPublication> {

    /** Oldest first: the relay publishes in the order the catalog changed. */
    public Uni<List<PendingPublication>> unpublished(int limit) {
        return find("publishedAt is null order by id").page(0, limit).list();
    }

    public Uni<Integer> markPublished(List<Long> ids, Instant at) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.getSession().chain(s -> s.createMutationQuery(
                        "update PendingPublication set publishedAt = :at where id in :ids")
                .setParameter("at", at)
                .setParameter("ids", ids)
                .executeUpdate());
    }

    public Uni<Long> backlog() {
        return count("publishedAt is null");
    }
}
