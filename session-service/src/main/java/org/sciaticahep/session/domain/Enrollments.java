package org.sciaticahep.session.domain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.catalog.ProgramDefinition;
import org.sciaticahep.contracts.session.EnrollmentEnded;
import org.sciaticahep.contracts.session.EnrollmentStarted;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.session.store.EnrollmentStore;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Violation;
import org.sciaticahep.support.Violations;

/**
 * Enrollment by the patient's consent: a clinician invites a patient to a program known to this service's catalog
 * copy and gets a one-time code for them; the patient accepts with that code, and only then is the enrollment
 * started, with version 1 of the patient's prescription, and published ({@code enrollment.started}). Either side may
 * end it; the end of a started enrollment is published too ({@code enrollment.ended}), with the patient's last day of
 * care.
 */
@ApplicationScoped
public class Enrollments {

    private static final Logger LOG = Logger.getLogger(Enrollments.class);

    static final Duration INVITATION_LIFETIME = Duration.ofDays(14);
    /** Wrong codes an invitation takes before it locks: a code cannot be guessed in five tries. */
    static final int WRONG_CODES_BEFORE_LOCK = 5;
    /** One answer for every code that cannot be used, so a caller learns nothing about why. */
    static final String UNUSABLE_CODE = "invalid, used or expired invite code";
    static final String REVOKED_BY_PATIENT = "REVOKED_BY_PATIENT";
    static final Set<String> CLINICIAN_REASONS = Set.of("RECOVERED", "DISCHARGED", "REFERRED", "OTHER");
    static final int MAX_END_NOTE = 2000;
    /**
     * How far back the last day of care may be: a day less than the contract allows from its event's UTC date, as
     * west of UTC that date may already be tomorrow.
     */
    static final int MAX_END_DAYS_BACK = SessionEventContract.MAX_START_DAYS - 1;

    /** An invitation and its code, which is in this answer only; created false for an identical retry. */
    public record Invitation(Enrollment enrollment, String inviteCode, boolean created) {
    }

    @Inject
    CatalogCopy catalog;

    @Inject
    EnrollmentStore store;

    @Inject
    Prescriptions prescriptions;

    @Inject
    CareEvents events;

    /**
     * A clinician's invitation of a patient. Nothing is published and nothing is said about the patient: whether
     * they exist or are enrolled elsewhere, the answer is the same. The clinician's earlier pending invitation of
     * the patient is superseded; the same enrollmentId with the same content while pending issues a new code.
     */
    public Uni<Invitation> invite(String patientId, String clinicianId, EnrollmentRequest request) {
        Ids.checkPath(patientId, "patientId");
        Violations unreadable = Violations.collect();
        Violations invalid = Violations.collect();
        if (request == null) {
            throw ProblemException.invalid(invalid.add("body", "is required").list());
        }
        if (unreadable.present(request.startDate(), "startDate")) {
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            invalid.check(Math.abs(ChronoUnit.DAYS.between(today, request.startDate())) <= 366, "startDate",
                    "must be within a year of today");
        }
        if (unreadable.present(request.timezone(), "timezone")) {
            unreadable.check(ZoneId.getAvailableZoneIds().contains(request.timezone()), "timezone",
                    "must be an IANA time zone id such as Europe/Berlin");
        }
        // optional: the inviting clinician (the caller has checked it is themselves)
        String clinician = request.clinicianId() != null ? request.clinicianId() : clinicianId;
        Ids.check(clinician, "clinicianId", invalid);
        ProgramDefinition program = null;
        if (invalid.present(request.programId(), "programId")) {
            program = catalog.program(request.programId()).orElse(null);
            invalid.check(program != null, "programId", "is not a program of the catalog");
        }
        if (!unreadable.isEmpty()) {
            unreadable.list().forEach(v -> invalid.add(v.field(), v.reason()));
            throw ProblemException.malformed(invalid.list(), "startDate and timezone must be a date and a time zone");
        }
        invalid.throwIfAny();

        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID id = request.enrollmentId() != null ? request.enrollmentId() : UUID.randomUUID();
        Enrollment proposed = new Enrollment(id, patientId, program.id(), program.version(), request.startDate(),
                request.timezone(), clinician, Enrollment.Status.PENDING, now, now.plus(INVITATION_LIFETIME),
                null, null, null, null);
        // A unique violation means a concurrent invitation committed first (the same id, or the same clinician
        // and patient): looked at again, it is an identical retry or an invitation to supersede.
        return invitation(proposed)
                .onFailure(EnrollmentStore::isUniqueViolation).recoverWithUni(() -> invitation(proposed))
                .onFailure(EnrollmentStore::isUniqueViolation).transform(e -> ProblemException.conflict(
                        "another invitation of patient " + patientId + " was made at the same moment; try again"));
    }

    private Uni<Invitation> invitation(Enrollment proposed) {
        String code = InviteCodes.next();
        String hash = InviteCodes.hash(code);
        return store.inTransaction(tx -> store.lock(tx, proposed.enrollmentId()).chain(held -> {
            if (held != null) {
                Enrollment existing = held.enrollment();
                if (!sameRequest(existing, proposed)) {
                    throw ProblemException.conflict("enrollmentId " + proposed.enrollmentId()
                            + " was already used for a different enrollment");
                }
                if (existing.status() != Enrollment.Status.PENDING) {
                    // accepted, ended or no longer usable: the retry learns its state, no code is issued
                    return Uni.createFrom().item(new Invitation(existing, null, false));
                }
                // the code of the lost answer stops working
                return store.reissue(tx, existing.enrollmentId(), hash).replaceWith(new Invitation(existing, code, false));
            }
            return store.eventIdTaken(tx, proposed.enrollmentId()).chain(taken -> {
                if (taken) {
                    throw ProblemException.conflict("enrollmentId " + proposed.enrollmentId() + " is already an event id");
                }
                return store.supersedePending(tx, proposed.patientId(), proposed.clinicianId(), proposed.invitedAt())
                        .chain(() -> store.insertPending(tx, proposed, hash))
                        .replaceWith(new Invitation(proposed, code, true));
            });
        }));
    }

    /**
     * The patient accepts an invitation with its code: the enrollment is ACTIVE, version 1 of its prescription is
     * stored and {@code enrollment.started} carrying it is in the outbox, in one transaction. Any code that cannot be
     * used is the same 422, whatever the reason (wrong, used, superseded, locked, expired, another patient's
     * invitation, no such invitation); a wrong code is counted, and that count is kept although the answer is an
     * error. While the catalog copy cannot build version 1 (the program or an exercise not copied yet) the answer is
     * 409 and nothing changes.
     */
    public Uni<Enrollment> accept(String patientId, String enrollmentId, String inviteCode) {
        Ids.checkPath(patientId, "patientId");
        if (inviteCode == null || inviteCode.isBlank()) {
            throw ProblemException.invalid(List.of(Violation.of("inviteCode", "is required")));
        }
        UUID id = uuid(enrollmentId);
        if (id == null) {
            throw unusableCode();
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return store.inTransaction(tx -> store.lock(tx, id).chain(held -> {
                    if (held == null || !held.enrollment().patientId().equals(patientId)
                            || held.enrollment().status() != Enrollment.Status.PENDING) {
                        return Uni.createFrom().<Enrollment>nullItem();
                    }
                    if (!InviteCodes.matches(inviteCode, held.codeHash())) {
                        // answered null: the transaction commits the count, the 422 comes after
                        return store.wrongCode(tx, id, WRONG_CODES_BEFORE_LOCK).map(locked -> {
                            if (locked) {
                                LOG.infof("invitation %s locked after %d wrong codes", id, WRONG_CODES_BEFORE_LOCK);
                            }
                            return (Enrollment) null;
                        });
                    }
                    if (ChronoUnit.DAYS.between(held.enrollment().startDate(), now.atOffset(ZoneOffset.UTC).toLocalDate())
                            > SessionEventContract.MAX_START_DAYS) {
                        // invited with a start date a year back, accepted days later: its enrollment.started would
                        // break the contract every consumer checks
                        throw ProblemException.conflict("this invitation's start date is now more than a year ago; "
                                + "ask the clinician for a new invitation");
                    }
                    return store.activate(tx, id, now).chain(started -> started == null
                            ? Uni.createFrom().<Enrollment>nullItem()
                            : prescriptions.start(tx, started)
                                    .chain(first -> events.publish(tx, EventKind.ENROLLMENT_STARTED, startedEvent(started, first), now))
                                    .replaceWith(started));
                }))
                .onFailure(EnrollmentStore::isUniqueViolation).transform(e -> ProblemException.conflict(
                        "patient " + patientId + " already has an active enrollment; revoke the current enrollment first"))
                .map(started -> {
                    if (started == null) {
                        throw unusableCode();
                    }
                    events.counted(EventKind.ENROLLMENT_STARTED);
                    LOG.infof("enrollment %s accepted", id);
                    return started;
                });
    }

    /** The patient withdraws their consent, or declines an invitation. */
    public Uni<Enrollment> revoke(String patientId, String enrollmentId) {
        Ids.checkPath(patientId, "patientId");
        UUID id = uuid(enrollmentId);
        if (id == null) {
            throw noSuchEnrollment(patientId, enrollmentId);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return store.inTransaction(tx -> store.lock(tx, id).chain(held -> {
            if (held == null || !held.enrollment().patientId().equals(patientId)) {
                throw noSuchEnrollment(patientId, enrollmentId);
            }
            Enrollment e = held.enrollment();
            return end(tx, e, Enrollment.Status.REVOKED, REVOKED_BY_PATIENT, e.today(), null, now);
        })).invoke(this::counted);
    }

    /**
     * The clinician named on the enrollment ends it (or withdraws their invitation), for a reason (OTHER when none is
     * given), on the patient's last day of care ({@code endDate}, a local date in their time zone: today there when
     * none is given; its bounds are {@link #lastDayOfCare}'s), with a note of theirs that is stored and nothing else:
     * never published, never logged. Anyone else gets the 403 of a patient they do not treat, whether or not the
     * enrollment exists.
     */
    public Uni<Enrollment> end(String patientId, String enrollmentId, String clinicianId, String reason, String note,
                               LocalDate endDate) {
        Ids.checkPath(patientId, "patientId");
        UUID id = uuid(enrollmentId);
        if (id == null) {
            throw CareTeam.notTreating(patientId);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return store.inTransaction(tx -> store.lock(tx, id).chain(held -> {
            if (held == null || !held.enrollment().patientId().equals(patientId)
                    || !held.enrollment().clinicianId().equals(clinicianId)) {
                throw CareTeam.notTreating(patientId);
            }
            Enrollment e = held.enrollment();
            String why = reason == null ? "OTHER" : reason;
            LocalDate today = e.today();
            LocalDate last = endDate == null ? today : endDate;
            Violations v = Violations.collect();
            v.check(CLINICIAN_REASONS.contains(why), "reason", "must be RECOVERED, DISCHARGED, REFERRED or OTHER");
            if (note != null) {
                v.check(note.length() <= MAX_END_NOTE, "note", "must be at most " + MAX_END_NOTE + " characters");
            }
            lastDayOfCare(last, e.startDate(), today, v);
            v.throwIfAny();
            return end(tx, e, Enrollment.Status.ENDED, why, last, note, now);
        })).invoke(this::counted);
    }

    /**
     * The patient's last day of care, in their time zone: from the start (or today, if earlier) to today, and at most
     * {@link #MAX_END_DAYS_BACK} days back, so that every consumer accepts it in {@code enrollment.ended}.
     */
    static void lastDayOfCare(LocalDate last, LocalDate startDate, LocalDate today, Violations v) {
        LocalDate earliest = startDate.isBefore(today) ? startDate : today;
        if (earliest.isBefore(today.minusDays(MAX_END_DAYS_BACK))) {
            earliest = today.minusDays(MAX_END_DAYS_BACK);
        }
        v.check(!last.isBefore(earliest) && !last.isAfter(today), "endDate",
                "must be between " + earliest + " and today (" + today + ") in the patient's time zone");
    }

    private Uni<Enrollment> end(SqlConnection tx, Enrollment e, Enrollment.Status to, String reason, LocalDate endDate,
                                String note, Instant now) {
        if (e.status() != Enrollment.Status.ACTIVE && e.status() != Enrollment.Status.PENDING) {
            throw ProblemException.conflict("enrollment " + e.enrollmentId() + " is " + e.status()
                    + "; only an active or pending enrollment can be ended");
        }
        return store.close(tx, e.enrollmentId(), to, reason, endDate, note, now).chain(ended -> {
            if (ended == null) {
                throw new IllegalStateException("enrollment " + e.enrollmentId() + " changed while locked");
            }
            // an invitation never accepted was never published: its end is not either
            return e.status() == Enrollment.Status.ACTIVE
                    ? events.publish(tx, EventKind.ENROLLMENT_ENDED, endedEvent(ended), now).replaceWith(ended)
                    : Uni.createFrom().item(ended);
        });
    }

    private void counted(Enrollment ended) {
        if (ended.acceptedAt() != null) {
            events.counted(EventKind.ENROLLMENT_ENDED);
        }
        LOG.infof("enrollment %s %s", ended.enrollmentId(), ended.status() == Enrollment.Status.REVOKED ? "revoked" : "ended");
    }

    public Uni<List<Enrollment>> of(String patientId) {
        Ids.checkPath(patientId, "patientId");
        return store.byPatient(patientId);
    }

    /** Its id is the enrollment's, it happened when the patient accepted, and it carries version 1 of the prescription. */
    private static EnrollmentStarted startedEvent(Enrollment e, PrescriptionVersion first) {
        return new EnrollmentStarted(e.enrollmentId(), e.patientId(), e.acceptedAt().atOffset(ZoneOffset.UTC),
                e.enrollmentId(), e.programId(), e.programVersion(), e.startDate(), e.timezone(), e.clinicianId(), first);
    }

    /** An enrollment ends once, so its end's id derives from the enrollment's. The clinician's note is not in it. */
    private static EnrollmentEnded endedEvent(Enrollment e) {
        UUID eventId = UUID.nameUUIDFromBytes(("enrollment.ended/" + e.enrollmentId()).getBytes(StandardCharsets.UTF_8));
        return new EnrollmentEnded(eventId, e.patientId(), e.endedAt().atOffset(ZoneOffset.UTC), e.enrollmentId(),
                e.clinicianId(), e.endReason(), e.endDate());
    }

    private static UUID uuid(String id) {
        try {
            return id == null ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ProblemException unusableCode() {
        return ProblemException.invalid(List.of(Violation.of("inviteCode", UNUSABLE_CODE)));
    }

    private static ProblemException noSuchEnrollment(String patientId, String enrollmentId) {
        return ProblemException.notFound("this patient has no such enrollment");
    }

    private static boolean sameRequest(Enrollment a, Enrollment b) {
        return a.patientId().equals(b.patientId()) && a.programId().equals(b.programId())
                && a.startDate().equals(b.startDate()) && a.timezone().equals(b.timezone())
                && a.clinicianId().equals(b.clinicianId());
    }
}
