package org.sciaticahep.insights.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.RedFlag;
import org.sciaticahep.contracts.session.Side;

/**
 * Small builders of the domain's plain inputs for the domain tests: a patient enrolled on {@link #START} (day 0, a
 * Monday), pain reports by enrollment day number and local time, and the daily aggregates made of them.
 */
final class DomainFixtures {

    static final LocalDate START = LocalDate.parse("2026-11-02");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final String PATIENT = "p-001";
    static final String KNEE = "knee-to-chest";

    private static final AtomicLong IDS = new AtomicLong();

    private DomainFixtures() {
    }

    static LocalDate day(long n) {
        return START.plusDays(n);
    }

    static long dayNumber(LocalDate date) {
        return ChronoUnit.DAYS.between(START, date);
    }

    static Facts.Enrollment enrollment(ZoneId zone) {
        return enrollment(START, zone);
    }

    static Facts.Enrollment enrollment(LocalDate start, ZoneId zone) {
        return new Facts.Enrollment(UUID.fromString("00000000-0000-4000-8000-00000000e001"), PATIENT, "sciatica-relief", 1,
                start, zone, "c-001", start.atStartOfDay(zone).toInstant(), null);
    }

    static Instant at(long dayNumber, String localTime, ZoneId zone) {
        return LocalDateTime.of(day(dayNumber), LocalTime.parse(localTime)).atZone(zone).toInstant();
    }

    /** A fresh, increasing event id (ids only need to be distinct; their order breaks ties of equal instants). */
    static UUID nextId() {
        return new UUID(0x1000L, IDS.incrementAndGet());
    }

    static Facts.PainScore report(Instant at, int score, PainLocation location, Side side, PainContext context,
                                  String exerciseId, boolean newPain, RedFlag... redFlags) {
        return new Facts.PainScore(nextId(), at, score, location, side, context, exerciseId, newPain, List.of(redFlags));
    }

    /** A check-in score at the buttock, left, in Berlin. */
    static Facts.PainScore rest(long dayNumber, String time, int score) {
        return report(at(dayNumber, time, BERLIN), score, PainLocation.BUTTOCK, Side.LEFT, PainContext.CHECK_IN, null, false);
    }

    static Facts.PainScore before(long dayNumber, String time, int score) {
        return report(at(dayNumber, time, BERLIN), score, PainLocation.BUTTOCK, Side.LEFT, PainContext.BEFORE_EXERCISE, KNEE, false);
    }

    static Facts.PainScore after(long dayNumber, String time, int score) {
        return report(at(dayNumber, time, BERLIN), score, PainLocation.BUTTOCK, Side.LEFT, PainContext.AFTER_EXERCISE, KNEE, false);
    }

    static Facts.PainScore during(long dayNumber, String time, int score) {
        return report(at(dayNumber, time, BERLIN), score, PainLocation.BUTTOCK, Side.LEFT, PainContext.DURING_EXERCISE, KNEE, false);
    }

    /** The daily aggregates of these reports, by local date in {@code zone} (one place, as the rules read them). */
    static NavigableMap<LocalDate, PatientDay> days(ZoneId zone, List<Facts.PainScore> reports) {
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        for (Facts.PainScore s : reports) {
            LocalDate date = s.occurredAt().atZone(zone).toLocalDate();
            PatientDay d = days.getOrDefault(date, PatientDay.empty(date));
            days.put(date, s.atRest()
                    ? d.withPain(1, s.score(), s.score(), s.occurredAt(), 0, 0, null)
                    : d.withPain(0, 0, null, null, 1, s.score(), s.score()));
        }
        return days;
    }

    /** {@code days} with repetitions of an exercise added on a local date. */
    static NavigableMap<LocalDate, PatientDay> withReps(NavigableMap<LocalDate, PatientDay> days, LocalDate date,
                                                       String exerciseId, Side side, long reps) {
        days.put(date, days.getOrDefault(date, PatientDay.empty(date)).withRepetitions(exerciseId, side, reps));
        return days;
    }

    static Prescription everyDay(int timesPerDay, Prescription.Item... items) {
        return onDays(timesPerDay, EnumSet.allOf(DayOfWeek.class), items);
    }

    /** One version, in force since ever. */
    static Prescription onDays(int timesPerDay, Set<DayOfWeek> days, Prescription.Item... items) {
        return Prescription.of(List.of(new Prescription.Version(1, LocalDate.MIN, timesPerDay, days, List.of(items))));
    }

    static PatientWindow window(Facts.Enrollment enrollment, ZoneId zone, Prescription prescription,
                                NavigableMap<LocalDate, PatientDay> days, List<Facts.PainScore> reports,
                                Map<String, UUID> firstPain, LocalDate today) {
        LocalDate lastActive = days.isEmpty() ? null : days.lastKey();
        return new PatientWindow(PATIENT, enrollment, zone, prescription, days, reports, firstPain, lastActive, today);
    }

    /** The occurrences of one rule (a test about one rule, whose data also make others occur). */
    static List<FlagRules.Occurrence> only(FlagRule rule, List<FlagRules.Occurrence> found) {
        return found.stream().filter(o -> o.rule() == rule).toList();
    }

    /** The first-pain map naming these reports as the first pain at their places. */
    static Map<String, UUID> firsts(Facts.PainScore... firsts) {
        Map<String, UUID> map = new HashMap<>();
        for (Facts.PainScore s : firsts) {
            map.put(s.where(), s.eventId());
        }
        return map;
    }

    /** "4 4 3" → [4, 4, 3]; blank or null → []. */
    static List<Integer> ints(String spaced) {
        List<Integer> list = new ArrayList<>();
        if (spaced != null && !spaced.isBlank()) {
            Arrays.stream(spaced.trim().split("\\s+")).map(Integer::valueOf).forEach(list::add);
        }
        return list;
    }

    /** "a, b" → [a, b]; blank or null → []. */
    static List<String> list(String commaSeparated) {
        return commaSeparated == null || commaSeparated.isBlank() ? List.of()
                : Arrays.stream(commaSeparated.split(",")).map(String::trim).toList();
    }
}
