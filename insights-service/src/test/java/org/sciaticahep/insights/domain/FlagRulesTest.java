package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sciaticahep.insights.domain.DomainFixtures.BERLIN;
import static org.sciaticahep.insights.domain.DomainFixtures.KNEE;
import static org.sciaticahep.insights.domain.DomainFixtures.after;
import static org.sciaticahep.insights.domain.DomainFixtures.at;
import static org.sciaticahep.insights.domain.DomainFixtures.before;
import static org.sciaticahep.insights.domain.DomainFixtures.day;
import static org.sciaticahep.insights.domain.DomainFixtures.dayNumber;
import static org.sciaticahep.insights.domain.DomainFixtures.days;
import static org.sciaticahep.insights.domain.DomainFixtures.during;
import static org.sciaticahep.insights.domain.DomainFixtures.enrollment;
import static org.sciaticahep.insights.domain.DomainFixtures.everyDay;
import static org.sciaticahep.insights.domain.DomainFixtures.firsts;
import static org.sciaticahep.insights.domain.DomainFixtures.ints;
import static org.sciaticahep.insights.domain.DomainFixtures.list;
import static org.sciaticahep.insights.domain.DomainFixtures.only;
import static org.sciaticahep.insights.domain.DomainFixtures.report;
import static org.sciaticahep.insights.domain.DomainFixtures.rest;
import static org.sciaticahep.insights.domain.DomainFixtures.window;
import static org.sciaticahep.insights.domain.DomainFixtures.withReps;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.RedFlag;
import org.sciaticahep.contracts.session.Side;

/**
 * Each flag rule at its threshold and one step below it, only for the days a scope covers, by local day in the
 * patient's time zone, and independent of how its input is listed. Occurrences are shown as
 * {@code RULE subject dN [HH:mm]}: the rule, its subject ("-" for the patient), the enrollment day number of its local
 * day and, for a rule about a single report, the report's local time in Berlin.
 */
class FlagRulesTest {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    // ---------------------------------------------------------------------------------------------------------------
    // rules about single reports

    static Stream<Arguments> reportRules() {
        Facts.PainScore thighDay3 = report(at(3, "09:00", BERLIN), 2, PainLocation.THIGH, Side.LEFT, PainContext.CHECK_IN, null, false);
        Facts.PainScore thighDay2 = report(at(2, "09:00", BERLIN), 2, PainLocation.THIGH, Side.LEFT, PainContext.CHECK_IN, null, false);
        Facts.PainScore thighDay3JustAfterMidnight = report(at(3, "00:10", BERLIN), 2, PainLocation.THIGH, Side.LEFT, PainContext.CHECK_IN, null, false);
        Facts.PainScore thighDay1 = report(at(1, "09:00", BERLIN), 2, PainLocation.THIGH, Side.LEFT, PainContext.CHECK_IN, null, false);
        Facts.PainScore thighDay5 = report(at(5, "09:00", BERLIN), 3, PainLocation.THIGH, Side.LEFT, PainContext.CHECK_IN, null, false);
        Facts.PainScore thighDay4First = report(at(4, "09:00", BERLIN), 3, PainLocation.THIGH, Side.LEFT, PainContext.CHECK_IN, null, false);
        Facts.PainScore thighDay4Second = report(at(4, "10:00", BERLIN), 5, PainLocation.THIGH, Side.LEFT, PainContext.CHECK_IN, null, false);
        Facts.PainScore thighDay4Zero = report(at(4, "09:00", BERLIN), 0, PainLocation.THIGH, Side.LEFT, PainContext.CHECK_IN, null, false);
        Facts.PainScore buttockLeftDay0 = rest(0, "08:00", 2);
        Facts.PainScore buttockRightDay4 = report(at(4, "09:00", BERLIN), 2, PainLocation.BUTTOCK, Side.RIGHT, PainContext.CHECK_IN, null, false);
        Facts.PainScore thighDay4New = report(at(4, "09:00", BERLIN), 3, PainLocation.THIGH, Side.LEFT, PainContext.CHECK_IN, null, true);
        Facts.PainScore thighDay4NoEnrollment = report(at(4, "09:00", BERLIN), 3, PainLocation.THIGH, Side.LEFT, PainContext.CHECK_IN, null, false);
        Facts.PainScore calfDay5During = report(at(5, "09:00", BERLIN), 3, PainLocation.CALF, Side.LEFT, PainContext.DURING_EXERCISE, KNEE, false);
        Facts.PainScore calfDay9During = report(at(9, "09:00", BERLIN), 3, PainLocation.CALF, Side.LEFT, PainContext.DURING_EXERCISE, KNEE, false);
        return Stream.of(
                // SEVERE_PAIN: a score >= 7, subject = location
                row("SEVERE_PAIN at 7", true, List.of(rest(1, "08:00", 7)), Map.of(), "SEVERE_PAIN BUTTOCK d1 08:00"),
                row("no SEVERE_PAIN at 6", true, List.of(rest(1, "08:00", 6)), Map.of()),
                row("SEVERE_PAIN's subject is the location, not the side", true,
                        List.of(report(at(1, "08:00", BERLIN), 8, PainLocation.CALF, Side.RIGHT, PainContext.CHECK_IN, null, false)),
                        Map.of(), "SEVERE_PAIN CALF d1 08:00"),
                row("SEVERE_PAIN without an enrollment", false, List.of(rest(1, "08:00", 10)), Map.of(), "SEVERE_PAIN BUTTOCK d1 08:00"),

                // EXERCISE_WORSENS_PAIN: during/after >= latest earlier resting score of the local day + 2, else baseline + 2
                row("worsens: resting 4, after 6 (+2)", true, List.of(rest(5, "08:00", 4), after(5, "09:00", 6)), Map.of(),
                        "EXERCISE_WORSENS_PAIN knee-to-chest d5 09:00"),
                row("not worse: resting 4, after 5 (+1)", true, List.of(rest(5, "08:00", 4), after(5, "09:00", 5)), Map.of()),
                row("worsens: during counts like after", true, List.of(rest(5, "08:00", 4), during(5, "09:00", 6)), Map.of(),
                        "EXERCISE_WORSENS_PAIN knee-to-chest d5 09:00"),
                row("worsens: a before-exercise score is a resting reference", true,
                        List.of(before(5, "08:00", 4), after(5, "09:00", 6)), Map.of(), "EXERCISE_WORSENS_PAIN knee-to-chest d5 09:00"),
                row("the latest earlier resting score is the reference (2 then 5: 6 is +1)", true,
                        List.of(rest(5, "07:00", 2), rest(5, "08:00", 5), after(5, "09:00", 6)), Map.of()),
                row("the latest earlier resting score is the reference (5 then 2: 4 is +2)", true,
                        List.of(rest(5, "07:00", 5), rest(5, "08:00", 2), after(5, "09:00", 4)), Map.of(),
                        "EXERCISE_WORSENS_PAIN knee-to-chest d5 09:00"),
                row("a resting score at the same instant is not earlier", false,
                        List.of(rest(5, "09:00", 0), after(5, "09:00", 3)), Map.of()),
                row("baseline fallback: baseline 3, after 5 (+2)", true,
                        List.of(rest(0, "08:00", 3), rest(1, "08:00", 3), rest(2, "08:00", 3), after(5, "09:00", 5)), Map.of(),
                        "EXERCISE_WORSENS_PAIN knee-to-chest d5 09:00"),
                row("baseline fallback: baseline 3, after 4 (+1)", true,
                        List.of(rest(0, "08:00", 3), rest(1, "08:00", 3), rest(2, "08:00", 3), after(5, "09:00", 4)), Map.of()),
                row("a later resting score of the day is no reference: baseline 3, after 4, resting 1 later", true,
                        List.of(rest(0, "08:00", 3), rest(1, "08:00", 3), rest(2, "08:00", 3), after(5, "09:00", 4),
                                rest(5, "10:00", 1)), Map.of()),
                row("yesterday's resting score is no reference: baseline 3, resting 1 at 23:00, after 4 at 00:30", true,
                        List.of(rest(0, "08:00", 3), rest(1, "08:00", 3), rest(2, "08:00", 3), rest(4, "23:00", 1),
                                after(5, "00:30", 4)), Map.of()),
                row("the baseline as known that day: 2 on day 0, after 5 on day 4 (+3), later days 6 and 5 do not count", true,
                        List.of(rest(0, "08:00", 2), after(4, "09:00", 5), rest(6, "08:00", 6), rest(8, "08:00", 5)), Map.of(),
                        "EXERCISE_WORSENS_PAIN knee-to-chest d4 09:00"),
                row("no baseline known yet on the day: after 6 on day 1, resting 2 from day 3", true,
                        List.of(after(1, "09:00", 6), rest(3, "08:00", 2)), Map.of()),
                row("baseline fallback with a fractional baseline 5/3: after 4 (>= 3.67)", true,
                        List.of(rest(0, "08:00", 1), rest(1, "08:00", 2), rest(2, "08:00", 2), after(5, "09:00", 4)), Map.of(),
                        "EXERCISE_WORSENS_PAIN knee-to-chest d5 09:00"),
                row("baseline fallback with a fractional baseline 5/3: after 3 (< 3.67)", true,
                        List.of(rest(0, "08:00", 1), rest(1, "08:00", 2), rest(2, "08:00", 2), after(5, "09:00", 3)), Map.of()),
                row("no baseline without an enrollment", false,
                        List.of(rest(0, "08:00", 3), rest(1, "08:00", 3), rest(2, "08:00", 3), after(5, "09:00", 5)), Map.of()),
                row("neither a resting score nor a baseline: only SEVERE_PAIN", true, List.of(after(5, "09:00", 9)), Map.of(),
                        "SEVERE_PAIN BUTTOCK d5 09:00"),
                row("a late resting score of the day replaces the baseline as reference: baseline 3, resting 5, after 6", true,
                        List.of(rest(0, "08:00", 3), rest(1, "08:00", 3), rest(2, "08:00", 3), rest(5, "08:00", 5),
                                after(5, "09:00", 6)), Map.of()),

                // NEW_PAIN: newPain any day; or the first report >= 1 at a place after the first three local days of
                // care with any pain report
                row("newPain on day 0", true, List.of(report(at(0, "08:00", BERLIN), 1, PainLocation.THIGH, Side.LEFT,
                        PainContext.CHECK_IN, null, true)), Map.of(), "NEW_PAIN THIGH/LEFT d0 08:00"),
                row("newPain with score 0, without an enrollment", false, List.of(report(at(0, "08:00", BERLIN), 0,
                        PainLocation.FOOT, Side.RIGHT, PainContext.CHECK_IN, null, true)), Map.of(), "NEW_PAIN FOOT/RIGHT d0 08:00"),
                row("baseline days 0-2: first pain at a place on day 3", true, with(baseline(0, 1, 2), thighDay3), firsts(thighDay3),
                        "NEW_PAIN THIGH/LEFT d3 09:00"),
                row("baseline days 0-2: first pain at a place on day 2", true, with(baseline(0, 1), thighDay2), firsts(thighDay2)),
                row("first pain at 00:10 local of day 3 (still day 2 in UTC)", true, with(baseline(0, 1, 2), thighDay3JustAfterMidnight),
                        firsts(thighDay3JustAfterMidnight), "NEW_PAIN THIGH/LEFT d3 00:10"),
                row("nothing reported on days 0-1: baseline days 2, 4, 5; first pain on day 5 is not new", true,
                        with(baseline(2, 4), thighDay5), firsts(thighDay5)),
                row("nothing reported on days 0-1: baseline days 2, 3, 4; first pain on day 5 is new", true,
                        with(baseline(2, 3, 4), thighDay5), firsts(thighDay5), "NEW_PAIN THIGH/LEFT d5 09:00"),
                row("an exercise score makes a reporting day: days 0, 1, 2; first pain during exercise on day 5 is new", true,
                        with(with(baseline(0, 1, 6), after(2, "09:00", 1), after(3, "09:00", 1)), calfDay5During),
                        firsts(calfDay5During), "NEW_PAIN CALF/LEFT d5 09:00"),
                row("two baseline days only: first pain on day 9 is not new yet", true, with(baseline(0, 1), calfDay9During),
                        firsts(calfDay9During)),
                row("pain on day 5 at a place first reported on day 1", true, with(baseline(0, 2), thighDay1, thighDay5), firsts(thighDay1)),
                row("two reports at a new place on day 4: only the first", true, with(baseline(0, 1, 2), thighDay4Second, thighDay4First),
                        firsts(thighDay4First), "NEW_PAIN THIGH/LEFT d4 09:00"),
                row("score 0 named as the first is no pain", true, with(baseline(0, 1, 2), thighDay4Zero), firsts(thighDay4Zero)),
                row("the other side of a place with pain is a new place", true, with(baseline(1, 2), buttockLeftDay0, buttockRightDay4),
                        firsts(buttockLeftDay0, buttockRightDay4), "NEW_PAIN BUTTOCK/RIGHT d4 09:00"),
                row("newPain and first pain of one report: one occurrence", true, with(baseline(0, 1, 2), thighDay4New), firsts(thighDay4New),
                        "NEW_PAIN THIGH/LEFT d4 09:00"),
                row("first pain without an enrollment has no baseline days", false, with(baseline(0, 1, 2), thighDay4NoEnrollment),
                        firsts(thighDay4NoEnrollment)),

                // RED_FLAG_SYMPTOMS: any red flag
                row("one red flag with score 0", true, List.of(report(at(1, "08:00", BERLIN), 0, PainLocation.LOWER_BACK,
                        Side.BOTH, PainContext.CHECK_IN, null, false, RedFlag.LEG_WEAKNESS)), Map.of(), "RED_FLAG_SYMPTOMS - d1 08:00"),
                row("two red flags: one occurrence", false, List.of(report(at(1, "08:00", BERLIN), 3, PainLocation.LOWER_BACK,
                        Side.BOTH, PainContext.CHECK_IN, null, false, RedFlag.SADDLE_NUMBNESS, RedFlag.BLADDER_OR_BOWEL_CHANGE)),
                        Map.of(), "RED_FLAG_SYMPTOMS - d1 08:00"),
                row("no red flag", true, List.of(report(at(1, "08:00", BERLIN), 3, PainLocation.LOWER_BACK, Side.BOTH,
                        PainContext.CHECK_IN, null, false)), Map.of()),
                row("one report: red flags, severe and new pain", true, List.of(report(at(6, "08:00", BERLIN), 9, PainLocation.FOOT,
                        Side.LEFT, PainContext.CHECK_IN, null, true, RedFlag.BOTH_LEGS)), Map.of(),
                        "NEW_PAIN FOOT/LEFT d6 08:00", "RED_FLAG_SYMPTOMS - d6 08:00", "SEVERE_PAIN FOOT d6 08:00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reportRules")
    void reportRules(String what, boolean enrolled, List<Facts.PainScore> reports, Map<String, UUID> firstPain, List<String> expected) {
        Scope.Builder scope = new Scope.Builder();
        reports.forEach(r -> scope.reportsOf(r.occurredAt().atZone(BERLIN).toLocalDate()));
        PatientWindow w = window(enrolled ? enrollment(BERLIN) : null, BERLIN, null, days(BERLIN, reports), reports, firstPain, day(20));
        assertEquals(sorted(expected), shown(FlagRules.evaluate(w, scope.build())), what);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // pain-trend rules: baseline scores on days 0-2, the window's resting scores spread over the 7 days ending on the
    // evaluated day, exercise scores on that day; the scope is that one day

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what | baseline scores | window resting scores | window exercise scores | day | expected
            "worse: baseline 2, mean 4 (= baseline + 2, >= 2.6)          | 2 2 2 | 4 4 4                 |     | 10 | PAIN_TRENDING_WORSE - d10",
            "not worse: baseline 2, mean 3.9                             | 2 2 2 | 4 4 4 4 4 4 4 4 4 3   |     | 10 |",
            "not worse: baseline 2, mean 5 but only 2 resting reports    | 2 2 2 | 5 5                   |     | 10 |",
            "not worse: exercise scores do not count (2 resting + 1)     | 2 2 2 | 5 5                   | 9   | 10 |",
            "not worse: exercise scores do not raise the mean            | 2 2 2 | 3 3 3                 | 10 10 10 | 10 |",
            "not worse: baseline 8, mean 10 (< 1.3 x 8 = 10.4)           | 8 8 8 | 10 10 10              |     | 10 |",
            "worse: baseline 7, mean 9.1 (= 1.3 x 7)                     | 7 7 7 | 10 10 10 10 10 10 10 10 10 1 | | 10 | PAIN_TRENDING_WORSE - d10",
            "not worse: baseline 7, mean 9 (= baseline + 2, < 9.1)       | 7 7 7 | 9 9 9                 |     | 10 |",
            "worse: baseline 0, mean 2                                   | 0 0 0 | 2 2 2                 |     | 10 | PAIN_TRENDING_WORSE - d10",
            "nothing without a baseline                                  |       | 9 9 9                 |     | 10 |",
            "worse: baseline 5/3, mean 11/3 (exactly baseline + 2)       | 1 2 2 | 3 4 4                 |     | 10 | PAIN_TRENDING_WORSE - d10", // 11/3 < 5/3 + 2 in doubles: the rule allows for rounding
            "not worse: baseline 5/3, mean 10/3                          | 1 2 2 | 3 3 4                 |     | 10 |",
            // NOT_IMPROVING: from day 42, mean > 0.7 x baseline
            "not improving: day 42, baseline 5, mean 5                   | 5 5 5 | 5 5 5                 |     | 42 | NOT_IMPROVING - d42",
            "too early: day 41, baseline 5, mean 5                       | 5 5 5 | 5 5 5                 |     | 41 |",
            "not improving: day 42, baseline 5, mean 3.6 (> 3.5)         | 5 5 5 | 4 4 3 3 4             |     | 42 | NOT_IMPROVING - d42",
            "improving: day 42, baseline 5, mean 3.5 (= 0.7 x 5)         | 5 5 5 | 4 3                   |     | 42 |",
            "improving: day 42, baseline 10, mean 7 (= 0.7 x 10)         | 10 10 10 | 7 7 7              |     | 42 |",
            "improving: day 42, baseline 3, mean 2.1 (= 0.7 x 3)         | 3 3 3 | 3 3 3 3 3 3 3 0 0 0   |     | 42 |", // 0.7 * 3 = 2.0999999999999996 in doubles
            "improving: day 42, baseline 7, mean 4.9 (= 0.7 x 7)         | 7 7 7 | 5 5 5 5 5 5 5 5 5 4   |     | 42 |", // 0.7 * 7 = 4.8999999999999995 in doubles
            "nothing on day 42 without a resting score in the window     | 5 5 5 |                       | 9 9 9 | 42 |",
            "both on day 60: baseline 2, mean 4                          | 2 2 2 | 4 4 4                 |     | 60 | NOT_IMPROVING - d60, PAIN_TRENDING_WORSE - d60",
    })
    void painTrendRules(String what, String baseline, String resting, String exercise, int dayNumber, String expected) {
        List<Facts.PainScore> reports = new ArrayList<>();
        List<Integer> b = ints(baseline);
        for (int i = 0; i < b.size(); i++) {
            reports.add(rest(i % 3, time(8, i), b.get(i)));
        }
        List<Integer> r = ints(resting);
        for (int i = 0; i < r.size(); i++) {
            reports.add(rest(dayNumber - i % 7, time(9, i), r.get(i)));
        }
        List<Integer> x = ints(exercise);
        for (int i = 0; i < x.size(); i++) {
            reports.add(after(dayNumber, time(12, i), x.get(i)));
        }
        PatientWindow w = window(enrollment(BERLIN), BERLIN, null, days(BERLIN, reports), reports, Map.of(), day(dayNumber));
        assertEquals(sorted(list(expected)), shown(FlagRules.evaluate(w, Scope.periods(day(dayNumber), day(dayNumber)))),
                what + " — thresholds are exact: worse when mean >= baseline + 2 and >= 1.3 x baseline, not improving when"
                        + " mean > 0.7 x baseline (a failure on an exact edge: FlagRules compares rounded doubles)");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // LOW_ADHERENCE: 1 item, once a day, every day; repetitions on the 7 days ending on the evaluated day

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what | sets | min reps | reps on day-6..day | day | today = day + | expected
            "day 7, nothing done                                  | 1 | 10 | 0 0 0 0 0 0 0        | 7  | 1 | LOW_ADHERENCE - d7",
            "day 6 is too early                                   | 1 | 10 | 0 0 0 0 0 0 0        | 6  | 1 |",
            "day 7 while it is today (not over)                   | 1 | 10 | 0 0 0 0 0 0 0        | 7  | 0 |",
            "day 20, nothing done, long over                      | 1 | 10 | 0 0 0 0 0 0 0        | 20 | 5 | LOW_ADHERENCE - d20",
            "ratio 3.4/7 = 0.49                                   | 1 | 10 | 10 10 10 4 0 0 0     | 7  | 1 | LOW_ADHERENCE - d7",
            "ratio 3.5/7 = 0.5                                    | 1 | 10 | 10 10 10 5 0 0 0     | 7  | 1 |",
            "ratio 4/7                                            | 1 | 10 | 0 0 0 10 10 10 10    | 7  | 1 |",
            "extra work is capped: 40 reps on one day = 1/7       | 1 | 10 | 40 0 0 0 0 0 0       | 7  | 1 | LOW_ADHERENCE - d7",
            "ratio exactly 21/42 = 0.5 with a 2 x 3 dosage        | 2 | 3  | 0 0 1 4 6 6 4        | 7  | 1 |", // the ratio sums to 0.49999999999999994 in doubles
    })
    void lowAdherence(String what, int sets, int minReps, String reps, int dayNumber, int todayAfter, String expected) {
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        List<Integer> r = ints(reps);
        for (int i = 0; i < r.size(); i++) {
            withReps(days, day(dayNumber - 6 + i), KNEE, Side.BOTH, r.get(i));
        }
        Prescription p = everyDay(1, new Prescription.Item(KNEE, sets, minReps, false));
        PatientWindow w = window(enrollment(BERLIN), BERLIN, p, days, List.of(), Map.of(), day(dayNumber + todayAfter));
        assertEquals(sorted(list(expected)), shown(only(FlagRule.LOW_ADHERENCE, FlagRules.evaluate(w, Scope.periods(day(dayNumber), day(dayNumber))))),
                what + " — low adherence is ratio < 0.5 exactly (a failure at 0.5: the ratio is a rounded sum of doubles)");
    }

    @Test
    void lowAdherenceOverEverythingStopsBeforeTodayAndIsDueAtTheEndOfItsDay() {
        Prescription p = everyDay(1, new Prescription.Item(KNEE, 1, 10, false));
        PatientWindow w = window(enrollment(BERLIN), BERLIN, p, new TreeMap<>(), List.of(), Map.of(), day(10));
        List<FlagRules.Occurrence> found = only(FlagRule.LOW_ADHERENCE, FlagRules.evaluate(w, Scope.EVERYTHING));
        assertEquals(List.of("LOW_ADHERENCE - d7", "LOW_ADHERENCE - d8", "LOW_ADHERENCE - d9"), shown(found));
        FlagRules.Occurrence first = found.stream().filter(o -> o.day().equals(day(7))).findFirst().orElseThrow();
        assertEquals(Instant.parse("2026-11-09T23:00:00Z"), first.at(), "day 7 (2026-11-09) is over at Berlin's midnight");
        assertEquals("2026-11-09", first.evidence());
        assertEquals("LOW_ADHERENCE||2026-11-09", first.identity());
    }

    /** Two of three exercises paused from day 0 and never done, the third done daily: no LOW_ADHERENCE; unpaused, it fires. */
    @ParameterizedTest(name = "paused: {0}")
    @CsvSource({"true,", "false,LOW_ADHERENCE - d7"})
    void pausedExercisesDoNotLowerAdherence(boolean paused, String expected) {
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        for (int d = 0; d <= 7; d++) {
            withReps(days, day(d), KNEE, Side.BOTH, 10);
        }
        Prescription p = Prescription.of(List.of(new Prescription.Version(1, day(0), 1, EnumSet.allOf(java.time.DayOfWeek.class),
                List.of(new Prescription.Item(KNEE, 1, 10, false), new Prescription.Item("bird-dog", 1, 10, false, !paused),
                        new Prescription.Item("clam", 1, 10, false, !paused)))));
        PatientWindow w = window(enrollment(BERLIN), BERLIN, p, days, List.of(), Map.of(), day(8));
        assertEquals(list(expected), shown(FlagRules.evaluate(w, Scope.periods(day(7), day(7)))));
    }

    /**
     * NO_RECENT_ACTIVITY: the current quiet spell as of today (days with neither an exercise nor a pain report), LOW
     * from 3 full days, MEDIUM from 14; days with nothing prescribed end the count; nothing after the end of care.
     * Occurrences are written {@code SEVERITY dN (evidence)}, N the last day of its length.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // what | days with a report | nothing prescribed (days from-to) | care ended (day) | accepted (day) | today | occurrences
            "one quiet day (6)                          | 0 5  | -     | -  | 0  | 7  | -",
            "three quiet days (4, 5, 6)                 | 0 3  | -     | -  | 0  | 7  | LOW d6 (3 quiet days from day 4)",
            "today does not count until it is over      | 0 4  | -     | -  | 0  | 7  | -",
            "active today: not quiet                    | 0 7  | -     | -  | 0  | 7  | -",
            "nothing reported: from the day after acceptance | - | -    | -  | 0  | 4  | LOW d3 (3 quiet days from day 1)",
            "nothing reported, accepted on day 5        | -    | -     | -  | 5  | 8  | -",
            "nothing reported, accepted on day 5, later | -    | -     | -  | 5  | 9  | LOW d8 (3 quiet days from day 6)",
            "a report counts even before acceptance     | 0    | -     | -  | 5  | 9  | LOW d3 (3 quiet days from day 1)",
            "13 quiet days                              | 0    | -     | -  | 0  | 14 | LOW d3 (3 quiet days from day 1)",
            "14 quiet days: raised to MEDIUM            | 0    | -     | -  | 0  | 15 | LOW d3 (3 quiet days from day 1), MEDIUM d14 (14 quiet days from day 1)",
            "a late report on day 10 starts a new spell | 0 10 | -     | -  | 0  | 15 | LOW d13 (3 quiet days from day 11)",
            "a report before the start is no report of care | -1 | -   | -  | 0  | 4  | LOW d3 (3 quiet days from day 1)",
            "everything paused days 2-4: counts from 5  | 0    | 2 4   | -  | 0  | 8  | LOW d7 (3 quiet days from day 5)",
            "everything paused until yesterday          | 0    | 2 6   | -  | 0  | 7  | -",
            "everything paused now                      | 0    | 2 99  | -  | 0  | 20 | -",
            "care ended yesterday                       | 0    | -     | 9  | 0  | 10 | -",
            "care ends today: over                      | 0    | -     | 10 | 0  | 10 | -",
            "care ends later: over, once recorded       | 0    | -     | 30 | 0  | 10 | -",
            "everything paused from today               | 0    | 10 99 | -  | 0  | 10 | -",
    })
    void noRecentActivity(String what, String activeDays, String nothingFromTo, Integer endDay, int accepted, int today,
                          String expected) {
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        if (activeDays != null) {
            ints(activeDays).forEach(d -> withReps(days, day(d), KNEE, Side.BOTH, 10));
        }
        List<Prescription.Version> versions = new ArrayList<>(List.of(version(1, 0, true)));
        if (nothingFromTo != null) {
            List<Integer> range = ints(nothingFromTo);
            versions.add(version(2, range.get(0), false));
            versions.add(version(3, range.get(1) + 1, true));
        }
        Facts.Enrollment e = enrollment(BERLIN);
        e = new Facts.Enrollment(e.enrollmentId(), e.patientId(), e.programId(), e.programVersion(), e.startDate(), e.zone(),
                e.clinicianId(), at(accepted, "20:00", BERLIN), endDay == null ? null : day(endDay));
        PatientWindow w = window(e, BERLIN, Prescription.of(versions), days, List.of(), Map.of(), day(today));
        List<String> found = only(FlagRule.NO_RECENT_ACTIVITY, FlagRules.evaluate(w, Scope.periods(day(today - 1), day(today))))
                .stream().map(o -> {
                    String[] lengthFrom = o.evidence().split(" from ");
                    return o.severity() + " d" + dayNumber(o.day()) + " (" + lengthFrom[0] + " from day "
                            + dayNumber(LocalDate.parse(lengthFrom[1])) + ")";
                }).toList();
        assertEquals(expected == null ? List.of() : list(expected), found, what);
    }

    /** A quiet spell's occurrence is due when its last day is over, and its identity stays the same while it lasts. */
    @Test
    void aQuietSpellKeepsItsIdentityFromDayToDay() {
        NavigableMap<LocalDate, PatientDay> days = withReps(new TreeMap<>(), day(0), KNEE, Side.BOTH, 10);
        Prescription p = everyDay(1, new Prescription.Item(KNEE, 1, 10, false));
        FlagRules.Occurrence onDay4 = only(FlagRule.NO_RECENT_ACTIVITY, FlagRules.evaluate(
                window(enrollment(BERLIN), BERLIN, p, days, List.of(), Map.of(), day(4)), Scope.periods(day(4), day(4)))).get(0);
        FlagRules.Occurrence onDay9 = only(FlagRule.NO_RECENT_ACTIVITY, FlagRules.evaluate(
                window(enrollment(BERLIN), BERLIN, p, days, List.of(), Map.of(), day(9)), Scope.periods(day(9), day(9)))).get(0);
        assertEquals(onDay4.identity(), onDay9.identity());
        assertEquals(at(4, "00:00", BERLIN), onDay4.at(), "days 1-3 are over at day 4's midnight");
        assertEquals(onDay4.at(), onDay9.at());
        assertEquals("No exercise or pain report on 3 or more scheduled days since " + day(1), onDay9.detail());
        assertEquals(onDay4, onDay9, "the same occurrence from day to day: nothing to write");
        assertEquals(FlagRule.Severity.LOW, onDay9.severity());
        // a pain report or an exercise scope asks for it; a report day's own rules alone do not
        assertTrue(new Scope.Builder().pain(day(9)).build().covers(FlagRule.Family.ACTIVITY, day(9)));
        assertTrue(new Scope.Builder().exercise(day(2)).build().covers(FlagRule.Family.ACTIVITY, day(9)));
        assertFalse(new Scope.Builder().reportsOf(day(9)).build().covers(FlagRule.Family.ACTIVITY, day(9)));
    }

    /** A twice-a-week plan (Tuesday and Friday): the days between are not quiet days, they are not exercise days. */
    @ParameterizedTest(name = "today is day {0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // today | occurrences (last active: day 4, a Friday; day 0 is Monday 2026-11-02)
            "8  | -",                                   // Sat, Sun, Mon: not scheduled
            "12 | -",                                   // Tue 8, Fri 11: two quiet exercise days
            "16 | LOW d15 (3 quiet days from day 5)",   // Tue 15 is the third
    })
    void aTwiceAWeekPlanCountsItsExerciseDays(int today, String expected) {
        NavigableMap<LocalDate, PatientDay> days = withReps(new TreeMap<>(), day(4), KNEE, Side.BOTH, 10);
        Prescription p = DomainFixtures.onDays(1, EnumSet.of(java.time.DayOfWeek.TUESDAY, java.time.DayOfWeek.FRIDAY),
                new Prescription.Item(KNEE, 1, 10, false));
        List<String> found = only(FlagRule.NO_RECENT_ACTIVITY, FlagRules.evaluate(
                window(enrollment(BERLIN), BERLIN, p, days, List.of(), Map.of(), day(today)), Scope.periods(day(today), day(today))))
                .stream().map(o -> o.severity() + " d" + dayNumber(o.day()) + " (" + o.evidence().split(" from ")[0] + " from day "
                        + dayNumber(LocalDate.parse(o.evidence().split(" from ")[1])) + ")").toList();
        assertEquals(expected == null ? List.of() : List.of(expected), found);
    }

    private static Prescription.Version version(int number, int fromDay, boolean expected) {
        return new Prescription.Version(number, day(fromDay), 1, EnumSet.allOf(java.time.DayOfWeek.class),
                List.of(new Prescription.Item(KNEE, 1, 10, false, expected)));
    }

    /**
     * Care ended on day {@code endDay}: the time-based rules stop after it (nothing done, pain not improving from day
     * 42 on, every day), while a red flag reported after it still raises its flag.
     */
    @ParameterizedTest(name = "care ended on day {0}")
    @CsvSource(delimiter = '|', value = {
            "41 | ",
            "42 | NOT_IMPROVING - d42, LOW_ADHERENCE - d42",
            "43 | NOT_IMPROVING - d42, NOT_IMPROVING - d43, LOW_ADHERENCE - d42, LOW_ADHERENCE - d43"})
    void timeBasedRulesStopAfterTheEndOfCare(int endDay, String expected) {
        List<Facts.PainScore> reports = new ArrayList<>(List.of(rest(0, "08:00", 5), rest(1, "08:00", 5), rest(2, "08:00", 5)));
        for (int d = 36; d <= 44; d++) {
            reports.add(rest(d, "08:00", 5));
        }
        Facts.PainScore redFlag = report(at(44, "09:00", BERLIN), 3, PainLocation.BUTTOCK, Side.LEFT, PainContext.CHECK_IN, null, false,
                RedFlag.SADDLE_NUMBNESS);
        reports.add(redFlag);
        Facts.Enrollment started = enrollment(BERLIN);
        Facts.Enrollment ended = new Facts.Enrollment(started.enrollmentId(), started.patientId(), started.programId(),
                started.programVersion(), started.startDate(), started.zone(), started.clinicianId(), started.enrolledAt(), day(endDay));
        PatientWindow w = window(ended, BERLIN, everyDay(1, new Prescription.Item(KNEE, 1, 10, false)), days(BERLIN, reports), reports,
                Map.of(), day(45));
        List<String> expectedShown = new ArrayList<>(list(expected));
        expectedShown.add("RED_FLAG_SYMPTOMS - d44 09:00");
        assertEquals(sorted(expectedShown), shown(FlagRules.evaluate(w, Scope.EVERYTHING).stream()
                .filter(o -> !o.day().isBefore(day(42))).toList()));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // scopes: an occurrence only for the days a scope covers

    static Stream<Arguments> reportScopes() {
        return Stream.of(
                Arguments.of("pain of day 5", new Scope.Builder().pain(day(5)).build(), List.of("SEVERE_PAIN BUTTOCK d5 08:00")),
                Arguments.of("pain of day 4 (not the day after)", new Scope.Builder().pain(day(4)).build(), List.of()),
                Arguments.of("pain of day 7 (not the day before)", new Scope.Builder().pain(day(7)).build(), List.of()),
                Arguments.of("reports of day 6", new Scope.Builder().reportsOf(day(6)).build(), List.of("SEVERE_PAIN BUTTOCK d6 08:00")),
                Arguments.of("pain of days 5 and 6", new Scope.Builder().pain(day(5)).pain(day(6)).build(),
                        List.of("SEVERE_PAIN BUTTOCK d5 08:00", "SEVERE_PAIN BUTTOCK d6 08:00")),
                Arguments.of("periods 0..20: no report rules", Scope.periods(day(0), day(20)), List.of()),
                Arguments.of("exercise of day 5: no report rules", new Scope.Builder().exercise(day(5)).build(), List.of()),
                Arguments.of("everything", Scope.EVERYTHING, List.of("SEVERE_PAIN BUTTOCK d5 08:00", "SEVERE_PAIN BUTTOCK d6 08:00")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reportScopes")
    void reportRulesOnlyForTheScopesDays(String what, Scope scope, List<String> expected) {
        List<Facts.PainScore> reports = List.of(rest(5, "08:00", 8), rest(6, "08:00", 9));
        PatientWindow w = window(enrollment(BERLIN), BERLIN, null, days(BERLIN, reports), reports, Map.of(), day(20));
        assertEquals(expected, shown(FlagRules.evaluate(w, scope)), what);
    }

    /**
     * Baseline 2 (one score on each of days 0-2), then 6 every day from day 3 to today (day 20): the 7-day mean is 3 on
     * day 3, 3.6 on day 4, 4.0 on day 5 (24/6), more after, so PAIN_TRENDING_WORSE occurs on days 5..20.
     */
    static Stream<Arguments> trendScopes() {
        return Stream.of(
                Arguments.of("everything", Scope.EVERYTHING, 5, 20),
                Arguments.of("periods 10..12", Scope.periods(day(10), day(12)), 10, 12),
                Arguments.of("periods 18..25, up to today only", Scope.periods(day(18), day(25)), 18, 20),
                Arguments.of("pain of day 3: trend days 3..9", new Scope.Builder().pain(day(3)).build(), 5, 9),
                Arguments.of("pain of day 19: trend days 19..25, up to today", new Scope.Builder().pain(day(19)).build(), 19, 20),
                Arguments.of("periods 0..4: below the threshold", Scope.periods(day(0), day(4)), -1, -2),
                Arguments.of("reports of day 10: no trend", new Scope.Builder().reportsOf(day(10)).build(), -1, -2),
                Arguments.of("exercise of day 3: no trend", new Scope.Builder().exercise(day(3)).build(), -1, -2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trendScopes")
    void trendRulesOnlyForTheScopesDays(String what, Scope scope, int firstDay, int lastDay) {
        List<Facts.PainScore> reports = new ArrayList<>(List.of(rest(0, "08:00", 2), rest(1, "08:00", 2), rest(2, "08:00", 2)));
        for (int d = 3; d <= 20; d++) {
            reports.add(rest(d, "08:00", 6));
        }
        PatientWindow w = window(enrollment(BERLIN), BERLIN, null, days(BERLIN, reports), reports, Map.of(), day(20));
        List<String> expected = new ArrayList<>();
        for (int d = firstDay; d <= lastDay; d++) {
            expected.add("PAIN_TRENDING_WORSE - d" + d);
        }
        assertEquals(sorted(expected), shown(FlagRules.evaluate(w, scope)), what);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // time zones: a report belongs to its local day

    @ParameterizedTest(name = "{0} {1} is local day {2}")
    @CsvSource({
            "Asia/Kolkata, 2026-11-25T23:30, 2026-11-25",         // 18:00 UTC, same date
            "Asia/Kolkata, 2026-11-26T00:30, 2026-11-26",         // 2026-11-25T19:00 UTC
            "America/Los_Angeles, 2026-11-25T23:30, 2026-11-25",  // 2026-11-26T07:30 UTC
            "Pacific/Kiritimati, 2026-11-26T09:00, 2026-11-26",   // UTC+14: 2026-11-25T19:00 UTC
            "Europe/Berlin, 2026-10-25T02:30, 2026-10-25",        // the hour that happens twice
    })
    void aReportBelongsToItsLocalDay(String zoneId, String localTime, LocalDate expectedDay) {
        ZoneId zone = ZoneId.of(zoneId);
        Instant at = LocalDateTime.parse(localTime).atZone(zone).toInstant();
        List<Facts.PainScore> reports = List.of(report(at, 8, PainLocation.BUTTOCK, Side.LEFT, PainContext.CHECK_IN, null, false));
        PatientWindow w = window(enrollment(LocalDate.parse("2026-10-01"), zone), zone, null, days(zone, reports), reports,
                Map.of(), LocalDate.parse("2026-12-31"));
        List<FlagRules.Occurrence> onTheDay = FlagRules.evaluate(w, new Scope.Builder().pain(expectedDay).build());
        assertEquals(1, onTheDay.size(), "one occurrence on the local day");
        assertEquals(expectedDay, onTheDay.get(0).day());
        assertEquals(FlagRule.SEVERE_PAIN, onTheDay.get(0).rule());
        assertEquals(List.of(), FlagRules.evaluate(w, new Scope.Builder().pain(expectedDay.minusDays(1)).build()), "day before");
        assertEquals(List.of(), FlagRules.evaluate(w, new Scope.Builder().pain(expectedDay.plusDays(1)).build()), "day after");
        LocalDate utcDay = LocalDate.ofInstant(at, java.time.ZoneOffset.UTC);
        if (!utcDay.equals(expectedDay)) {
            assertEquals(List.of(), FlagRules.evaluate(w, new Scope.Builder().pain(utcDay).build()), "the UTC day is not the report's day");
        }
    }

    @Test
    void theRestingReferenceIsOfTheSameLocalDayNotTheSameUtcDay() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        Instant lateEvening = LocalDateTime.parse("2026-11-25T23:30").atZone(kolkata).toInstant(); // 18:00Z
        Instant afterMidnight = LocalDateTime.parse("2026-11-26T00:10").atZone(kolkata).toInstant(); // 18:40Z
        Instant exercise = LocalDateTime.parse("2026-11-26T00:30").atZone(kolkata).toInstant(); // 19:00Z, UTC day 11-25
        Facts.PainScore restingYesterday = report(lateEvening, 1, PainLocation.BUTTOCK, Side.LEFT, PainContext.CHECK_IN, null, false);
        Facts.PainScore after = report(exercise, 6, PainLocation.BUTTOCK, Side.LEFT, PainContext.AFTER_EXERCISE, KNEE, false);
        Scope scope = new Scope.Builder().pain(LocalDate.parse("2026-11-25")).pain(LocalDate.parse("2026-11-26")).build();

        List<Facts.PainScore> withoutReference = List.of(restingYesterday, after);
        PatientWindow w = window(null, kolkata, null, days(kolkata, withoutReference), withoutReference, Map.of(), LocalDate.parse("2026-11-30"));
        assertEquals(List.of(), FlagRules.evaluate(w, scope), "the 23:30 score of the day before is no reference");

        Facts.PainScore restingToday = report(afterMidnight, 3, PainLocation.BUTTOCK, Side.LEFT, PainContext.CHECK_IN, null, false);
        List<Facts.PainScore> withReference = List.of(restingYesterday, restingToday, after);
        w = window(null, kolkata, null, days(kolkata, withReference), withReference, Map.of(), LocalDate.parse("2026-11-30"));
        List<FlagRules.Occurrence> found = FlagRules.evaluate(w, scope);
        assertEquals(1, found.size(), "6 after 3 of the same local day");
        assertEquals(FlagRule.EXERCISE_WORSENS_PAIN, found.get(0).rule());
        assertEquals(LocalDate.parse("2026-11-26"), found.get(0).day());
        assertEquals(after.eventId().toString(), found.get(0).evidence());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // late, duplicate and reordered input

    /** Reports over several days, with equal instants, exercising every report rule and the period rules. */
    private static List<Facts.PainScore> busyPatient() {
        List<Facts.PainScore> reports = new ArrayList<>(List.of(rest(0, "08:00", 3), rest(1, "08:00", 3), rest(2, "08:00", 4)));
        reports.add(rest(5, "08:00", 4));
        reports.add(after(5, "08:00", 9)); // same instant as the resting score: no same-day reference
        reports.add(during(5, "09:00", 6));
        reports.add(after(5, "09:00", 7)); // two exercise scores at one instant
        reports.add(report(at(6, "10:00", BERLIN), 5, PainLocation.THIGH, Side.RIGHT, PainContext.CHECK_IN, null, false));
        reports.add(report(at(7, "10:00", BERLIN), 2, PainLocation.LOWER_BACK, Side.BOTH, PainContext.CHECK_IN, null, true,
                RedFlag.SADDLE_NUMBNESS));
        for (int d = 8; d <= 44; d++) {
            reports.add(rest(d, "07:30", 6));
        }
        return reports;
    }

    @Test
    void theOrderOfTheReportsDoesNotMatter() {
        List<Facts.PainScore> reports = busyPatient();
        Map<String, UUID> firstPain = firsts(reports.get(0), reports.get(7));
        NavigableMap<LocalDate, PatientDay> days = days(BERLIN, reports);
        Prescription p = everyDay(1, new Prescription.Item(KNEE, 1, 10, true));
        withReps(days, day(20), KNEE, Side.LEFT, 10);
        List<FlagRules.Occurrence> expected = FlagRules.evaluate(
                window(enrollment(BERLIN), BERLIN, p, days, reports, firstPain, day(49)), Scope.EVERYTHING);
        // today is day 49: days 45-48 are quiet
        Set<FlagRule> rules = new java.util.TreeSet<>();
        expected.forEach(o -> rules.add(o.rule()));
        assertEquals(Set.of(FlagRule.values()), rules, "the data exercise every rule");
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            List<Facts.PainScore> shuffled = new ArrayList<>(reports);
            Collections.shuffle(shuffled, random);
            assertEquals(expected, FlagRules.evaluate(window(enrollment(BERLIN), BERLIN, p, days, shuffled, firstPain, day(49)),
                    Scope.EVERYTHING), "shuffle " + i);
        }
    }

    @Test
    void aReportListedTwiceGivesNoOtherIdentities() {
        List<Facts.PainScore> reports = busyPatient();
        Map<String, UUID> firstPain = firsts(reports.get(0), reports.get(7));
        NavigableMap<LocalDate, PatientDay> days = days(BERLIN, reports);
        List<Facts.PainScore> twice = new ArrayList<>(reports);
        twice.addAll(reports);
        Collections.shuffle(twice, new Random(7));
        List<FlagRules.Occurrence> once = FlagRules.evaluate(
                window(enrollment(BERLIN), BERLIN, null, days, reports, firstPain, day(45)), Scope.EVERYTHING);
        List<FlagRules.Occurrence> doubled = FlagRules.evaluate(
                window(enrollment(BERLIN), BERLIN, null, days, twice, firstPain, day(45)), Scope.EVERYTHING);
        assertFalse(once.isEmpty());
        assertEquals(new LinkedHashSet<>(once), new LinkedHashSet<>(doubled), "the same occurrences, none with another identity or content");
        Map<String, FlagRules.Occurrence> byIdentity = new HashMap<>();
        for (FlagRules.Occurrence o : doubled) {
            FlagRules.Occurrence other = byIdentity.putIfAbsent(o.identity(), o);
            if (other != null) {
                assertEquals(other, o, "two occurrences of identity " + o.identity() + " must be equal");
            }
        }
        assertEquals(once.stream().map(FlagRules.Occurrence::identity).distinct().count(), byIdentity.size());
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** A resting score of 2 at 08:00 on each day given (buttock, left): the baseline days. */
    private static List<Facts.PainScore> baseline(long... dayNumbers) {
        return java.util.Arrays.stream(dayNumbers).mapToObj(d -> rest(d, "08:00", 2)).toList();
    }

    private static List<Facts.PainScore> with(List<Facts.PainScore> reports, Facts.PainScore... more) {
        List<Facts.PainScore> all = new ArrayList<>(reports);
        all.addAll(List.of(more));
        return all;
    }

    private static Arguments row(String what, boolean enrolled, List<Facts.PainScore> reports, Map<String, UUID> firstPain,
                                 String... expected) {
        return Arguments.of(what, enrolled, reports, firstPain, List.of(expected));
    }

    private static String time(int hour, int minute) {
        return String.format("%02d:%02d", hour, minute);
    }

    private static List<String> sorted(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        Collections.sort(copy);
        return copy;
    }

    /** Occurrences as {@code RULE subject dN [HH:mm]}, sorted. */
    static List<String> shown(List<FlagRules.Occurrence> found) {
        List<String> shown = new ArrayList<>();
        for (FlagRules.Occurrence o : found) {
            String s = o.rule() + " " + (o.subject().isEmpty() ? "-" : o.subject()) + " d" + dayNumber(o.day());
            shown.add(o.rule().family() == FlagRule.Family.REPORT ? s + " " + HH_MM.format(o.at().atZone(BERLIN)) : s);
        }
        return sorted(shown);
    }
}
