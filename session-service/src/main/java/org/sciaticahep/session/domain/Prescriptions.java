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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.session.PrescriptionChanged;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.session.store.EnrollmentStore;
import org.sciaticahep.session.store.PrescriptionStore;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Violations;

/**
 * A patient's prescription under their active enrollment, version by version. Version 1 is written when the patient
 * accepts (the program version they were enrolled on, as {@code enrollment.started} carries it); each later version
 * is the treating clinician's, written under the enrollment's row lock on the version they read, and published
 * ({@code prescription.changed}) in the same transaction, as is a version 1 derived for an enrollment accepted
 * before prescriptions existed.
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

    /**
     * The treating clinician's new version, written on the version they read; a version scheduled after its day
     * is replaced only when the request says so.
     */
    public Uni<WrittenVersion> write(String patientId, String clinicianId, PrescriptionRequest request) {
        return writeNext(patientId, clinicianId, (all, today) -> {
            Violations v = Violations.collect();
            PrescriptionRules.check(request, today, catalog, v);
            v.throwIfAny();
            PrescriptionVersion current = PrescriptionRules.newest(all);
            PrescriptionRules.requireCurrent(current, request.expectedVersion());
            PrescriptionVersion next = PrescriptionRules.next(current, request, today);
            PrescriptionRules.requireNothingScheduled(all, next.effectiveFrom(), request.replaceScheduled());
            return List.of(next);
        });
    }

    /**
     * One exercise paused, resumed or stopped: a new version on the version in force on effectiveFrom, and the same
     * change carried into each version scheduled after it.
     */
    public Uni<WrittenVersion> changeItem(String patientId, String clinicianId, String exerciseId, ItemChange change,
                                          String reason, LocalDate effectiveFrom) {
        return writeNext(patientId, clinicianId, (all, today) -> {
            Violations v = Violations.collect();
            PrescriptionRules.effectiveFrom(effectiveFrom, today, v);
            PrescriptionRules.reason(reason, v);
            v.throwIfAny();
            return PrescriptionRules.withItemChanged(all, exerciseId, change, reason, effectiveFrom == null ? today : effectiveFrom);
        });
    }

    /**
     * Locks the patient's active enrollment, so concurrent writes take turns and each sees the one before, then
     * stores and publishes the versions {@code next} makes of every stored one and today in the patient's time zone,
     * and answers the first. Anything {@code next} throws rolls everything back.
     */
    private Uni<WrittenVersion> writeNext(String patientId, String clinicianId,
                                          BiFunction<List<PrescriptionVersion>, LocalDate, List<PrescriptionVersion>> next) {
        Ids.checkPath(patientId, "patientId");
        Instant now = now();
        return enrollments.inTransaction(tx -> enrollments.lockActive(tx, patientId).chain(e -> {
            // ended, or another clinician's, since the caller's access was checked
            if (e == null || !e.clinicianId().equals(clinicianId)) {
                throw CareTeam.notTreating(patientId);
            }
            return written(tx, e, now).chain(read -> {
                List<PrescriptionVersion> made = next.apply(read.answer().stream().map(WrittenVersion::prescription).toList(), e.today());
                PrescriptionRules.requireRoom(read.answer().size(), made.size());
                List<WrittenVersion> versions = made.stream()
                        .map(p -> new WrittenVersion(e.enrollmentId(), patientId, p, clinicianId, now))
                        .toList();
                List<WrittenVersion> published = new ArrayList<>(read.published());
                published.addAll(versions);
                return keep(tx, versions, true, now).replaceWith(new Committed<>(versions.get(0), published));
            });
        })).map(this::committed);
    }

    /**
     * The versions stored; an enrollment accepted before prescriptions were written has none, and its version 1 is
     * derived (as insights derives it from its {@code enrollment.started}) and stored first, under its lock.
     */
    private Uni<List<WrittenVersion>> written(Enrollment e) {
        return store.versions(e.enrollmentId()).chain(found -> found.isEmpty()
                ? enrollments.inTransaction(tx -> enrollments.lock(tx, e.enrollmentId()).chain(held -> {
                    // ended since it was read
                    if (held == null || held.enrollment().status() != Enrollment.Status.ACTIVE) {
                        throw ProblemException.notFound("this patient has no active enrollment");
                    }
                    return written(tx, held.enrollment(), now());
                })).map(this::committed)
                : Uni.createFrom().item(found));
    }

    /**
     * A derived version 1 is published too, or a consumer would never learn it from session-service; now, as it is
     * derived now. Not when it is in force from further back than the contract lets an event reach (an enrollment
     * that started over a year ago): such an event would be dead-lettered, and consumers derive the same version 1
     * from the enrollment's {@code enrollment.started} themselves.
     */
    private Uni<Committed<List<WrittenVersion>>> written(SqlConnection tx, Enrollment e, Instant now) {
        return store.versions(tx, e.enrollmentId()).chain(found -> {
            if (!found.isEmpty()) {
                return Uni.createFrom().item(new Committed<>(found, List.of()));
            }
            WrittenVersion first = first(e);
            boolean publishable = Math.abs(ChronoUnit.DAYS.between(now.atOffset(ZoneOffset.UTC).toLocalDate(),
                    first.prescription().effectiveFrom())) <= SessionEventContract.MAX_START_DAYS;
            LOG.infof("prescription of enrollment %s derived from its program version%s", e.enrollmentId(),
                    publishable ? "" : ", in force from too long ago to be published");
            return keep(tx, List.of(first), publishable, now)
                    .replaceWith(new Committed<>(List.of(first), publishable ? List.of(first) : List.of()));
        });
    }

    /**
     * Each version stored and, when {@code published}, its {@code prescription.changed} put into the outbox: in
     * order, in the caller's transaction.
     */
    private Uni<Void> keep(SqlConnection tx, List<WrittenVersion> versions, boolean published, Instant now) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (WrittenVersion w : versions) {
            all = all.chain(() -> store.insert(tx, w));
            if (published) {
                all = all.chain(() -> events.publish(tx, EventKind.PRESCRIPTION_CHANGED, changedEvent(w, now), now));
            }
        }
        return all;
    }

    /** What a transaction answers, and the versions it published: counted and logged once it committed. */
    private record Committed<T>(T answer, List<WrittenVersion> published) {
    }

    private <T> T committed(Committed<T> done) {
        for (WrittenVersion w : done.published()) {
            events.counted(EventKind.PRESCRIPTION_CHANGED);
            LOG.infof("prescription of enrollment %s at version %d", w.enrollmentId(), w.prescription().version());
        }
        return done.answer();
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

    /**
     * A version is published once, so its event's id derives from the enrollment's and the version's number. It
     * happens {@code now}: a derived version 1 was written (changedAt) when the patient accepted, but published now.
     */
    private static PrescriptionChanged changedEvent(WrittenVersion w, Instant now) {
        UUID eventId = UUID.nameUUIDFromBytes(("prescription.changed/" + w.enrollmentId() + "/" + w.prescription().version())
                .getBytes(StandardCharsets.UTF_8));
        return new PrescriptionChanged(eventId, w.patientId(), now.atOffset(ZoneOffset.UTC), w.enrollmentId(),
                w.changedBy(), w.prescription());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
