package org.sciaticahep.session.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.catalog.ProgramDefinition;
import org.sciaticahep.contracts.session.EnrollmentStarted;
import org.sciaticahep.session.store.EnrollmentStore;
import org.sciaticahep.session.store.NewEvent;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Violations;

/** Enrolls patients in programs known to this service's catalog copy, and publishes each enrollment. */
@ApplicationScoped
public class Enrollments {

    /** An enrollment and whether this request made it (false: an identical retry). */
    public record Outcome(Enrollment enrollment, boolean created) {
    }

    @Inject
    CatalogCopy catalog;

    @Inject
    EnrollmentStore store;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    public Uni<Outcome> enroll(String patientId, EnrollmentRequest request) {
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
        Ids.check(request.clinicianId(), "clinicianId", invalid);
        ProgramDefinition program = null;
        if (invalid.present(request.programId(), "programId")) {
            program = catalog.program(request.programId()).orElse(null);
            invalid.check(program != null, "programId", "unknown program '" + request.programId() + "'");
        }
        if (!unreadable.isEmpty()) {
            unreadable.list().forEach(v -> invalid.add(v.field(), v.reason()));
            throw ProblemException.malformed(invalid.list(), "startDate and timezone must be a date and a time zone");
        }
        invalid.throwIfAny();

        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID id = request.enrollmentId() != null ? request.enrollmentId() : UUID.randomUUID();
        Enrollment enrollment = new Enrollment(id, patientId, program.id(), program.version(), request.startDate(),
                request.timezone(), request.clinicianId(), now);
        return store.insertIfAbsent(enrollment, startedEvent(enrollment)).map(existing -> {
            if (existing == null) {
                metrics.counter("session.events.accepted", "type", EventKind.ENROLLMENT_STARTED.cloudEventType()).increment();
                return new Outcome(enrollment, true);
            }
            if (!sameRequest(existing, enrollment)) {
                throw ProblemException.conflict("enrollmentId " + id + " was already used for a different enrollment");
            }
            return new Outcome(existing, false);
        });
    }

    public Uni<List<Enrollment>> of(String patientId) {
        Ids.checkPath(patientId, "patientId");
        return store.byPatient(patientId);
    }

    private NewEvent startedEvent(Enrollment e) {
        EnrollmentStarted payload = new EnrollmentStarted(e.enrollmentId(), e.patientId(),
                e.enrolledAt().atOffset(ZoneOffset.UTC), e.enrollmentId(), e.programId(),
                e.programVersion(), e.startDate(), e.timezone(), e.clinicianId());
        try {
            return new NewEvent(e.enrollmentId(), e.patientId(), EventKind.ENROLLMENT_STARTED.cloudEventType(),
                    // an enrollment retry is recognised by its id in the enrollment table, not by this hash
                    payload.occurredAt(), "enrollment", json.writeValueAsString(payload));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static boolean sameRequest(Enrollment a, Enrollment b) {
        return a.patientId().equals(b.patientId()) && a.programId().equals(b.programId())
                && a.startDate().equals(b.startDate()) && a.timezone().equals(b.timezone())
                && a.clinicianId().equals(b.clinicianId());
    }
}
