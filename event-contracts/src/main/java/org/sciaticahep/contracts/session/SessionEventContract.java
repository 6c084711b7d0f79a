package org.sciaticahep.contracts.session;

import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

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
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final Set<String> END_REASONS = Set.of("REVOKED_BY_PATIENT", "RECOVERED", "DISCHARGED", "REFERRED", "OTHER",
            // an enrollment made before consent was asked for, ended by a later one (session-service's V4 migration)
            "REPLACED");

    private SessionEventContract() {
    }

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
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
            if (required(found, "timezone", s.timezone()) && !ZoneId.getAvailableZoneIds().contains(s.timezone())) {
                found.add("timezone: must be an IANA time zone id such as Europe/Berlin");
            }
        } else if (e instanceof EnrollmentEnded n) {
            required(found, "enrollmentId", n.enrollmentId());
            id(found, "clinicianId", n.clinicianId(), true);
            if (required(found, "reason", n.reason()) && !END_REASONS.contains(n.reason())) {
                found.add("reason: must be one of " + END_REASONS);
            }
        }
        return found;
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
