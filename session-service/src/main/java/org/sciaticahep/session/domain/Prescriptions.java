package org.sciaticahep.session.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.session.PrescriptionChanged;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.session.store.EnrollmentStore;
import org.sciaticahep.session.store.PrescriptionStore;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Violations;

/**
 * A patient's prescription under their active enrollment, version by version. Version 1 is written when the patient
 * accepts (the program version they were enrolled on, as {@code enrollment.started} carries it); each later version
 * is the treating clinician's, written under the enrollment's row lock on the version they read, and published
 * ({@code prescription.changed}) in the same transaction.
 */
@ApplicationScoped
public class Prescriptions {

    private static final Logger LOG = Logger.getLogger(Prescriptions.class);

    @Inject
    CatalogCopy catalog;

    @Inject
    EnrollmentStore enrollments;

    @Inject
    PrescriptionStore store;

    @Inject
    CareEvents events;

    /** Version 1 of a just accepted enrollment, stored in the acceptance's transaction; 409 while the copy cannot build it. */
    Uni<PrescriptionVersion> start(SqlConnection tx, Enrollment accepted) {
        WrittenVersion first = first(accepted);
        return store.insert(tx, first).replaceWith(first.prescription());
    }

    /** Every version, oldest first. */
    public Uni<List<WrittenVersion>> versions(String patientId) {
        Ids.checkPath(patientId, "patientId");
        return enrollments.active(patientId).chain(e -> {
            if (e == null) {
                throw ProblemException.notFound("this patient has no active enrollment");
            }
            return written(e);
        });
    }

    /** The newest version, whether or not it is in force yet. */
    public Uni<WrittenVersion> current(String patientId) {
        return versions(patientId).map(all -> all.get(all.size() - 1));
    }

    /** The version in force on a day in the patient's time zone. */
    public Uni<WrittenVersion> inForce(String patientId, LocalDate day) {
        return versions(patientId).map(all -> {
            PrescriptionVersion found = PrescriptionRules.inForce(all.stream().map(WrittenVersion::prescription).toList(), day)
                    .orElseThrow(() -> ProblemException.notFound("no version of this patient's prescription is in force on that day"));
            return all.stream().filter(w -> w.prescription().equals(found)).findFirst().orElseThrow();
        });
    }

    /** The treating clinician's new version, written on the version they read. */
    public Uni<WrittenVersion> write(String patientId, String clinicianId, PrescriptionRequest request) {
        return writeNext(patientId, clinicianId, (current, today) -> {
            Violations v = Violations.collect();
            PrescriptionRules.check(request, today, catalog, v);
            v.throwIfAny();
            PrescriptionRules.requireCurrent(current, request.expectedVersion());
            return PrescriptionRules.next(current, request, today);
        });
    }

    /** One exercise paused, resumed or stopped: a new version on whatever version is current. */
    public Uni<WrittenVersion> changeItem(String patientId, String clinicianId, String exerciseId, ItemChange change,
                                          String reason, LocalDate effectiveFrom) {
        return writeNext(patientId, clinicianId, (current, today) -> {
            Violations v = Violations.collect();
            PrescriptionRules.effectiveFrom(effectiveFrom, today, v);
            PrescriptionRules.reason(reason, v);
            v.throwIfAny();
            return PrescriptionRules.withItemChanged(current, exerciseId, change, reason,
                    effectiveFrom == null ? today : effectiveFrom);
        });
    }

    /**
     * Locks the patient's active enrollment, so concurrent writes take turns and each sees the one before, then
     * stores and publishes the version {@code next} makes of the current one and today in the patient's time zone.
     * Anything {@code next} throws rolls everything back.
     */
    private Uni<WrittenVersion> writeNext(String patientId, String clinicianId,
                                          BiFunction<PrescriptionVersion, LocalDate, PrescriptionVersion> next) {
        Ids.checkPath(patientId, "patientId");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return enrollments.inTransaction(tx -> enrollments.lockActive(tx, patientId).chain(e -> {
            // ended, or another clinician's, since the caller's access was checked
            if (e == null || !e.clinicianId().equals(clinicianId)) {
                throw CareTeam.notTreating(patientId);
            }
            return written(tx, e).chain(all -> {
                WrittenVersion w = new WrittenVersion(e.enrollmentId(), patientId,
                        next.apply(all.get(all.size() - 1).prescription(), e.today()), clinicianId, now);
                return store.insert(tx, w)
                        .chain(() -> events.publish(tx, EventKind.PRESCRIPTION_CHANGED, changedEvent(w), now))
                        .replaceWith(w);
            });
        })).invoke(w -> {
            events.counted(EventKind.PRESCRIPTION_CHANGED);
            LOG.infof("prescription of enrollment %s at version %d", w.enrollmentId(), w.prescription().version());
        });
    }

    /**
     * The versions stored; an enrollment accepted before prescriptions were written has none, and its version 1 is
     * derived (as insights derives it from its {@code enrollment.started}) and stored first, under its lock.
     */
    private Uni<List<WrittenVersion>> written(Enrollment e) {
        return store.versions(e.enrollmentId()).chain(found -> found.isEmpty()
                ? enrollments.inTransaction(tx -> enrollments.lock(tx, e.enrollmentId()).chain(() -> written(tx, e)))
                : Uni.createFrom().item(found));
    }

    private Uni<List<WrittenVersion>> written(SqlConnection tx, Enrollment e) {
        return store.versions(tx, e.enrollmentId()).chain(found -> {
            if (!found.isEmpty()) {
                return Uni.createFrom().item(found);
            }
            WrittenVersion first = first(e);
            LOG.infof("prescription of enrollment %s derived from its program version", e.enrollmentId());
            return store.insert(tx, first).replaceWith(List.of(first));
        });
    }

    /**
     * The program version the patient was enrolled on, as the catalog copy had it when they accepted; written by the
     * clinician who invited them.
     */
    private WrittenVersion first(Enrollment e) {
        PrescriptionVersion first = catalog.prescription(e.programId(), e.programVersion(), e.acceptedAt(), e.startDate())
                .orElseThrow(() -> ProblemException.conflict("the program is not in this service's catalog copy yet; try again shortly"));
        return new WrittenVersion(e.enrollmentId(), e.patientId(), first, e.clinicianId(), e.acceptedAt());
    }

    /** A version is written once, so its event's id derives from the enrollment's and the version's number. */
    private static PrescriptionChanged changedEvent(WrittenVersion w) {
        UUID eventId = UUID.nameUUIDFromBytes(("prescription.changed/" + w.enrollmentId() + "/" + w.prescription().version())
                .getBytes(StandardCharsets.UTF_8));
        return new PrescriptionChanged(eventId, w.patientId(), w.changedAt().atOffset(ZoneOffset.UTC), w.enrollmentId(),
                w.changedBy(), w.prescription());
    }
}
