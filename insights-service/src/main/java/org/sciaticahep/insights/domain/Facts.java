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
import org.sciaticahep.rules.SafetyRules;

/** What insights knows of a patient as reported: the enrollment, and single pain reports where a rule needs them. */
public final class Facts {

    private Facts() {
    }

    /** {@code endDate}: the last day of care, null while care goes on. */
    public record Enrollment(UUID enrollmentId, String patientId, String programId, int programVersion,
                             LocalDate startDate, ZoneId zone, String clinicianId, Instant enrolledAt, LocalDate endDate) {

        /** {@code day}, or the end of care if that came first: nothing is expected, no period rule looks, after it. */
        public LocalDate lastDayOfCare(LocalDate day) {
            return endDate != null && endDate.isBefore(day) ? endDate : day;
        }

        public LocalDate localDate(Instant at) {
            return at.atZone(zone).toLocalDate();
        }

        /** The enrollment's day number of a date: the start date is day 0. */
        public long dayNumber(LocalDate date) {
            return java.time.temporal.ChronoUnit.DAYS.between(startDate, date);
        }
    }

    public record PainScore(UUID eventId, Instant occurredAt, int score, PainLocation location, Side side,
                            PainContext context, String exerciseId, boolean newPain, List<RedFlag> redFlags) {

        /** Scores taken at rest (a check-in or before exercising): what baseline and trends are made of. */
        public boolean atRest() {
            return atRest(context);
        }

        public static boolean atRest(PainContext context) {
            return SafetyRules.atRest(context);
        }

        public String where() {
            return location + "/" + side;
        }
    }

    /** One completion as reported; {@code side} null for an exercise not done per side, hold and difficulty optional. */
    public record Completion(UUID eventId, Instant occurredAt, String exerciseId, Side side, int sets, int reps,
                             Integer holdSeconds, Integer difficulty) {
    }
}
