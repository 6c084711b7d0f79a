package org.sciaticahep.insights.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.insights.store.PrescriptionStore;

/**
 * The prescriptions of enrollments: the versions session-service published, or for an enrollment started before
 * prescriptions existed, version 1 derived from the program version it was enrolled on, exactly as session-service
 * derives it (the same catalog copy code, from the same program version and moment).
 */
@ApplicationScoped
public class Prescriptions {

    @Inject
    PrescriptionStore store;

    @Inject
    CatalogCopy catalog;

    /** Each enrollment's prescription; absent while an old enrollment's program is not in the catalog copy yet. */
    public Uni<Map<UUID, Prescription>> of(SqlClient db, Collection<Facts.Enrollment> enrollments) {
        return published(db, enrollments).map(published -> {
            Map<UUID, Prescription> all = new HashMap<>();
            published.forEach((id, versions) -> all.put(id, Prescription.fromPublished(versions)));
            return all;
        });
    }

    /** Each enrollment's versions as published (or derived, for an old enrollment), in version order. */
    public Uni<Map<UUID, List<PrescriptionVersion>>> published(SqlClient db, Collection<Facts.Enrollment> enrollments) {
        List<UUID> ids = enrollments.stream().map(Facts.Enrollment::enrollmentId).toList();
        return store.of(db, ids).map(stored -> {
            Map<UUID, List<PrescriptionVersion>> all = new HashMap<>();
            for (Facts.Enrollment e : enrollments) {
                withFirst(e, stored.getOrDefault(e.enrollmentId(), List.of())).ifPresent(v -> all.put(e.enrollmentId(), v));
            }
            return all;
        });
    }

    /**
     * The enrollment's versions as published, with version 1 derived in front when it was not published (an
     * enrollment from before prescriptions, until session-service publishes the one it stored); empty while that
     * version 1 cannot be derived (its program not in the catalog copy yet).
     */
    public Optional<List<PrescriptionVersion>> withFirst(Facts.Enrollment e, List<PrescriptionVersion> published) {
        if (!published.isEmpty() && published.get(0).version() == 1) {
            return Optional.of(published);
        }
        return catalog.prescription(e.programId(), e.programVersion(), e.enrolledAt(), e.startDate()).map(first -> {
            List<PrescriptionVersion> withFirst = new ArrayList<>(published.size() + 1);
            withFirst.add(first);
            withFirst.addAll(published);
            return withFirst;
        });
    }
}
