package org.sciaticahep.contracts.session;

import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What every event on {@code session-events} must satisfy, whoever wrote it: session-service accepts nothing
 * outside these bounds, and a consumer applies nothing outside them (a record that breaks them was not written by
 * session-service, or by an older or broken one, and goes to the dead-letter topic instead of into the store).
 */
public final class SessionEventContract {

    public static final int MAX_SETS = 50;
    public static final int MAX_REPS = 500;
    public static final int MAX_HOLD_SECONDS = 3600;
    public static final int MAX_SCORE = 10;
    public static final int MIN_DIFFICULTY = 1;
    public static final int MAX_DIFFICULTY = 5;
    /** How far from the day of enrolling a program may start (session-service asks for within a year of today). */
    public static final int MAX_START_DAYS = 366;
    /** Patient, clinician, exercise and program ids: opaque, but bounded and free of anything that is not an id. */
    /** Exercises in one prescription, and the length of a clinician's reason. */
    public static final int MAX_ITEMS = 30;
    public static final int MAX_REASON = 500;
    public static final int MAX_TIMES_PER_DAY = 10;
    /** An id's most characters: a letter or digit first, then letters, digits, '.', '_' or '-'. */
    public static final int MAX_ID = 64;
    public static final Set<String> END_REASONS = Set.of("REVOKED_BY_PATIENT", "RECOVERED", "DISCHARGED", "REFERRED", "OTHER",
            // an enrollment made before consent was asked for, ended by a later one (session-service's V4 migration)
            "REPLACED");

    private SessionEventContract() {
    }

    /** {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}, scanned by hand: a regex here was 7 % of a replay's CPU. */
    public static boolean validId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID || !letterOrDigit(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!letterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean letterOrDigit(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    /** Every way {@code e} breaks the contract, as "field: reason"; empty when it keeps it. */
    public static List<String> violations(SessionEvent e) {
        List<String> found = new ArrayList<>();
        required(found, "eventId", e.eventId());
        id(found, "patientId", e.patientId(), true);
        required(found, "occurredAt", e.occurredAt());
        if (e instanceof ExerciseCompleted x) {
            id(found, "exerciseId", x.exerciseId(), true);
            range(found, "sets", x.sets(), 1, MAX_SETS);
            range(found, "reps", x.reps(), 1, MAX_REPS);
            if (x.holdSeconds() != null) {
                range(found, "holdSeconds", x.holdSeconds(), 0, MAX_HOLD_SECONDS);
            }
            if (x.difficulty() != null) {
                range(found, "difficulty", x.difficulty(), MIN_DIFFICULTY, MAX_DIFFICULTY);
            }
        } else if (e instanceof PainReported p) {
            range(found, "score", p.score(), 0, MAX_SCORE);
            required(found, "location", p.location());
            required(found, "side", p.side());
            required(found, "context", p.context());
            id(found, "exerciseId", p.exerciseId(), p.context() != null && p.context().isAboutAnExercise());
            if (p.redFlags() != null && (p.redFlags().stream().anyMatch(Objects::isNull)
                    || new HashSet<>(p.redFlags()).size() != p.redFlags().size())) {
                found.add("redFlags: must list each symptom once");
            }
        } else if (e instanceof EnrollmentStarted s) {
            required(found, "enrollmentId", s.enrollmentId());
            id(found, "programId", s.programId(), true);
            if (s.programVersion() < 1) {
                found.add("programVersion: must be 1 or more");
            }
            // a start date far from the enrollment would make every day-by-day rule walk that far
            if (required(found, "startDate", s.startDate()) && s.occurredAt() != null
                    && Math.abs(ChronoUnit.DAYS.between(s.occurredAt().toLocalDate(), s.startDate())) > MAX_START_DAYS) {
                found.add("startDate: must be within " + MAX_START_DAYS + " days of the enrollment");
            }
            id(found, "clinicianId", s.clinicianId(), true);
            if (s.prescription() != null) {
                prescription(found, "prescription.", s.prescription());
            }
            if (required(found, "timezone", s.timezone()) && !ZoneId.getAvailableZoneIds().contains(s.timezone())) {
                found.add("timezone: must be an IANA time zone id such as Europe/Berlin");
            }
        } else if (e instanceof EnrollmentEnded n) {
            required(found, "enrollmentId", n.enrollmentId());
            id(found, "clinicianId", n.clinicianId(), true);
            if (required(found, "reason", n.reason()) && !END_REASONS.contains(n.reason())) {
                found.add("reason: must be one of " + END_REASONS);
            }
            nearOccurrence(found, "endDate", n.endDate(), n.occurredAt());
        } else if (e instanceof PrescriptionChanged c) {
            required(found, "enrollmentId", c.enrollmentId());
            id(found, "clinicianId", c.clinicianId(), true);
            if (required(found, "prescription", c.prescription())) {
                prescription(found, "prescription.", c.prescription());
                nearOccurrence(found, "prescription.effectiveFrom", c.prescription().effectiveFrom(), c.occurredAt());
            }
        }
        return found;
    }

    /** Every way a prescription version breaks the contract, as "field: reason"; empty when it keeps it. */
    public static List<String> violations(PrescriptionVersion p) {
        List<String> found = new ArrayList<>();
        prescription(found, "", p);
        return found;
    }

    /**
     * A prescription version's bounds: what a consumer's day-by-day reading of it can rely on (each exercise once,
     * a dosage it can divide by, a schedule of at least one day).
     */
    private static void prescription(List<String> found, String at, PrescriptionVersion p) {
        if (p.version() < 1) {
            found.add(at + "version: must be 1 or more");
        }
        required(found, at + "effectiveFrom", p.effectiveFrom());
        id(found, at + "programId", p.programId(), true);
        if (p.programVersion() < 1) {
            found.add(at + "programVersion: must be 1 or more");
        }
        if (required(found, at + "schedule", p.schedule())) {
            if (required(found, at + "schedule.timesPerDay", p.schedule().timesPerDay())) {
                range(found, at + "schedule.timesPerDay", p.schedule().timesPerDay(), 1, MAX_TIMES_PER_DAY);
            }
            if (p.schedule().daysOfWeek() == null || p.schedule().daysOfWeek().isEmpty()
                    || p.schedule().daysOfWeek().stream().anyMatch(Objects::isNull)) {
                found.add(at + "schedule.daysOfWeek: must name at least one day");
            }
        }
        if (!required(found, at + "items", p.items())) {
            return;
        }
        if (p.items().size() > MAX_ITEMS) {
            found.add(at + "items: must have at most " + MAX_ITEMS + " entries");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < p.items().size(); i++) {
            String item = at + "items[" + i + "].";
            PrescribedItem x = p.items().get(i);
            if (x == null) {
                found.add(at + "items[" + i + "]: is required");
                continue;
            }
            id(found, item + "exerciseId", x.exerciseId(), true);
            if (x.exerciseId() != null && !seen.add(x.exerciseId())) {
                found.add(item + "exerciseId: is prescribed twice");
            }
            required(found, item + "status", x.status());
            if (x.reason() != null && x.reason().length() > MAX_REASON) {
                found.add(item + "reason: must be at most " + MAX_REASON + " characters");
            }
            if (required(found, item + "dosage", x.dosage())) {
                var d = x.dosage();
                if (required(found, item + "dosage.sets", d.sets())) {
                    range(found, item + "dosage.sets", d.sets(), 1, MAX_SETS);
                }
                if (required(found, item + "dosage.reps", d.reps())) {
                    bounds(found, item + "dosage.reps", d.reps(), 1, MAX_REPS);
                }
                if (d.holdSeconds() != null) {
                    bounds(found, item + "dosage.holdSeconds", d.holdSeconds(), 0, MAX_HOLD_SECONDS);
                }
                required(found, item + "dosage.perSide", d.perSide());
            }
        }
    }

    private static void bounds(List<String> found, String field, org.sciaticahep.contracts.catalog.Range r, int lowestMin, int highest) {
        if (r.min() == null || r.max() == null) {
            found.add(field + ": min and max are required");
        } else if (r.min() < lowestMin || r.max() > highest || r.min() > r.max()) {
            found.add(field + ": must be " + lowestMin + " ≤ min ≤ max ≤ " + highest);
        }
    }

    /** A date a day-by-day rule walks to from the event: within a year of it. */
    private static void nearOccurrence(List<String> found, String field, java.time.LocalDate date, java.time.OffsetDateTime at) {
        if (date != null && at != null && Math.abs(ChronoUnit.DAYS.between(at.toLocalDate(), date)) > MAX_START_DAYS) {
            found.add(field + ": must be within " + MAX_START_DAYS + " days of the event");
        }
    }

    private static boolean required(List<String> found, String field, Object value) {
        if (value == null) {
            found.add(field + ": is required");
            return false;
        }
        return true;
    }

    private static void id(List<String> found, String field, String value, boolean mandatory) {
        if (value == null) {
            if (mandatory) {
                found.add(field + ": is required");
            }
        } else if (!validId(value)) {
            found.add(field + ": must be 1-64 letters, digits, '.', '_' or '-'");
        }
    }

    private static void range(List<String> found, String field, int value, int min, int max) {
        if (value < min || value > max) {
            found.add(field + ": must be between " + min + " and " + max);
        }
    }
}
