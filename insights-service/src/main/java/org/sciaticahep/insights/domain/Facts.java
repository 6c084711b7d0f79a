package org.sciaticahep.insights.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.RedFlag;
import org.sciaticahep.contracts.session.Side;

/** What insights knows of a patient, as reported; everything else is computed from these by occurredAt. */
public final class Facts {

    private Facts() {
    }

    public record Enrollment(UUID enrollmentId, String patientId, String programId, int programVersion,
                             LocalDate startDate, ZoneId zone, String clinicianId, Instant enrolledAt) {

        public LocalDate localDate(Instant at) {
            return at.atZone(zone).toLocalDate();
        }

        /** The enrollment's day number of a date: the start date is day 0. */
        public long dayNumber(LocalDate date) {
            return java.time.temporal.ChronoUnit.DAYS.between(startDate, date);
        }
    }

    public record ExerciseDone(UUID eventId, Instant occurredAt, String exerciseId, Side side, int sets, int reps) {

        public int totalReps() {
            return sets * reps;
        }
    }

    public record PainScore(UUID eventId, Instant occurredAt, int score, PainLocation location, Side side,
                            PainContext context, String exerciseId, boolean newPain, List<RedFlag> redFlags) {

        /** Scores taken at rest (a check-in or before exercising): what baseline and trends are made of. */
        public boolean atRest() {
            return context == PainContext.CHECK_IN || context == PainContext.BEFORE_EXERCISE;
        }

        public String where() {
            return location + "/" + side;
        }
    }

    /** Everything about one patient that the rules look at. {@code enrollment} is null before one arrives. */
    public record Patient(String patientId, Enrollment enrollment, List<PainScore> pain, List<ExerciseDone> exercises) {

        public ZoneId zone() {
            return enrollment == null ? java.time.ZoneOffset.UTC : enrollment.zone();
        }
    }
}
