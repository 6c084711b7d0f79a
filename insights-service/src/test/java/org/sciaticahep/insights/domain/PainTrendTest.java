package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.sciaticahep.insights.domain.DomainFixtures.BERLIN;
import static org.sciaticahep.insights.domain.DomainFixtures.KNEE;
import static org.sciaticahep.insights.domain.DomainFixtures.after;
import static org.sciaticahep.insights.domain.DomainFixtures.at;
import static org.sciaticahep.insights.domain.DomainFixtures.day;
import static org.sciaticahep.insights.domain.DomainFixtures.days;
import static org.sciaticahep.insights.domain.DomainFixtures.enrollment;
import static org.sciaticahep.insights.domain.DomainFixtures.rest;
import static org.sciaticahep.insights.domain.DomainFixtures.withReps;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sciaticahep.contracts.session.Side;

/**
 * Baseline from the resting scores of the first three days of care that have any, the trailing mean over exactly the seven days ending on a day, and
 * the summary's change. Scores are written {@code day:score} (enrollment day number); the i-th score of a list is
 * reported at 08:00 + i minutes, Berlin time.
 */
class PainTrendTest {

    private static final double EXACT = 1e-12;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // what | resting scores | exercise scores | baseline | baseline days
            "days 0 and 1                                   | 0:4 1:6                 |           | 5.0  | 0 1",
            "day -1 is before care                          | -1:10 0:4 1:6 2:5       |           | 5.0  | 0 1 2",
            "the fourth day with resting scores is not one  | 0:4 1:6 3:5 4:10        |           | 5.0  | 0 1 3",
            "nothing on days 0-2: the first three that have | 3:2 5:4 9:6 10:10       |           | 4.0  | 3 5 9",
            "exercise scores make no baseline day           | 0:4 3:6 5:8             | 1:9 2:10  | 6.0  | 0 3 5",
            "several scores a day, every score counts once  | 0:1 0:2 2:3             |           | 2.0  | 0 2",
            "day 2 alone                                    | 2:7                     |           | 7.0  | 2",
            "a fractional baseline                          | 0:1 1:2 2:2             |           | 1.6666666666666667 | 0 1 2",
            "zero is a baseline                             | 0:0 1:0                 |           | 0.0  | 0 1",
            "a first resting score on day 40 is one         | 40:5                    | 0:4 1:4   | 5.0  | 40",
            "only exercise scores                           |                         | 0:4 1:4   | null | ''",
            "no scores at all                               |                         |           | null | ''",
    })
    void baseline(String what, String resting, String exercise, Double expected, String baselineDays) {
        PainTrend.Baseline baseline = PainTrend.Baseline.of(enrollment(BERLIN), days(BERLIN, reports(resting, exercise)));
        if (expected == null) {
            assertNull(baseline.mean(), what);
        } else {
            assertEquals(expected, baseline.mean(), EXACT, what);
        }
        assertEquals(dates(baselineDays), baseline.days(), what);
        assertEquals(Math.min(3, days(BERLIN, reports(resting, exercise)).tailMap(day(0), true).size()), baseline.reporting().size(),
                what + ": the first three days with any pain report");
    }

    @Test
    void noBaselineWithoutAnEnrollment() {
        assertEquals(PainTrend.Baseline.NONE, PainTrend.Baseline.of(null, days(BERLIN, reports("0:4 1:6", null))));
    }

    /** First pain somewhere is new only after the third reporting day; until there are three, nothing is after them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what | first reporting days | day | after
            "the day after the third             | 0 1 2 | 3  | true",
            "the third                           | 0 1 2 | 2  | false",
            "between reporting days              | 0 4 9 | 5  | false",
            "after late reporting days           | 3 5 9 | 10 | true",
            "two reporting days only             | 0 1   | 30 | false",
            "none                                | ''    | 30 | false",
    })
    void afterTheFirstReportingDays(String what, String reportingDays, long day, boolean after) {
        assertEquals(after, new PainTrend.Baseline(List.of(), dates(reportingDays)).after(day(day)), what);
    }

    /** A report is judged against the baseline as it was known on its day: later baseline days do not count. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // what | resting scores | day | mean up to that day
            "before any baseline day                | 2:4 5:6 9:8  | 1  | null",
            "on the first                           | 2:4 5:6 9:8  | 2  | 4.0",
            "between the first and the second       | 2:4 5:6 9:8  | 4  | 4.0",
            "after the second                       | 2:4 5:6 9:8  | 7  | 5.0",
            "all three                              | 2:4 5:6 9:8  | 30 | 6.0",
            "a fourth resting day is not one        | 2:4 5:6 9:8 12:10 | 30 | 6.0",
    })
    void theBaselineAsKnownOnADay(String what, String resting, long day, Double expected) {
        PainTrend.Baseline baseline = PainTrend.Baseline.of(enrollment(BERLIN), days(BERLIN, reports(resting, null)));
        assertEquals(expected, baseline.meanUpTo(day(day)), what);
    }

    /** Whether a report on a day makes the rules look at everything again (the baseline days may move). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what | first resting days | first reporting days | day | at rest | moves
            "before care                                | ''    | ''    | -1 | true  | false",
            "the first day with none yet                | ''    | ''    | 0  | true  | true",
            "an exercise score while reporting days are few | 0 1 2 | 0 1 | 50 | false | true",
            "an exercise score after three reporting days | ''  | 0 1 2 | 50 | false | false",
            "a resting score while resting days are few | 0 1   | 0 1 2 | 50 | true  | true",
            "one of the three                           | 0 1 2 | 0 1 2 | 1  | true  | true",
            "the third                                  | 0 4 9 | 0 4 9 | 9  | true  | true",
            "between them (a late report: a new day)    | 0 4 9 | 0 4 9 | 5  | true  | true",
            "a late exercise score between reporting days | 0 4 9 | 0 4 9 | 5 | false | true",
            "after the third                            | 0 4 9 | 0 4 9 | 10 | true  | false",
            "before care, with three                    | 0 1 2 | 0 1 2 | -3 | true  | false",
    })
    void movesTheBaselineDays(String what, String resting, String reporting, long day, boolean atRest, boolean moves) {
        assertEquals(moves, new PainTrend.BaselineDays(dates(resting), dates(reporting)).movedBy(day(0), day(day), atRest), what);
    }

    private static List<LocalDate> dates(String dayNumbers) {
        return dayNumbers == null || dayNumbers.isBlank() ? List.of()
                : java.util.Arrays.stream(dayNumbers.trim().split("\\s+")).map(d -> day(Long.parseLong(d))).toList();
    }

    /** The window ending on day 20 is days 14..20. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // what | resting scores | exercise scores | mean | reports | latest (day HH:mm)
            "day 13 and day 21 are outside                | 13:5 14:4 20:6 21:9                         |            | 5.0 | 2 | 20 08:02",
            "exactly seven days                           | 13:10 14:1 15:1 16:1 17:1 18:1 19:1 20:1 21:10 |         | 1.0 | 7 | 20 08:07",
            "several scores a day                         | 14:1 14:2 17:3                              |            | 2.0 | 3 | 17 08:02",
            "exercise scores are not counted              | 16:2                                        | 16:10 20:10 | 2.0 | 1 | 16 08:00",
            "the latest is by instant, not by list order  | 19:3 18:5                                   |            | 4.0 | 2 | 19 08:00",
            "only exercise scores                         |                                             | 15:8 20:9  | null | null | null",
            "nothing in the window                        | 10:3 21:3                                   |            | null | null | null",
    })
    void trailing(String what, String resting, String exercise, Double mean, Integer reports, String latest) {
        PainTrend.Window w = PainTrend.trailing(days(BERLIN, reports(resting, exercise)), day(20));
        if (mean == null) {
            assertNull(w, what);
            return;
        }
        assertEquals(mean, w.mean(), EXACT, what);
        assertEquals(reports, w.reports(), what);
        String[] dayAndTime = latest.split(" ");
        assertEquals(at(Long.parseLong(dayAndTime[0]), dayAndTime[1], BERLIN), w.latest(), what);
    }

    /** Today is day 20; the change is the trailing mean against the baseline, in points and percent of the baseline. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // what | enrolled | resting scores | baseline | trailing mean | trailing reports | points | percent
            "better: 4 → 3                          | true  | 0:4 1:4 2:4 18:3 20:3 | 4.0  | 3.0  | 2    | -1.0 | -25.0",
            "worse: 2 → 5                           | true  | 0:2 1:2 2:2 14:5     | 2.0  | 5.0  | 1    | 3.0  | 150.0",
            "unchanged                              | true  | 0:6 20:6             | 6.0  | 6.0  | 1    | 0.0  | 0.0",
            "baseline 0: points, no percent          | true  | 0:0 1:0 2:0 20:2     | 0.0  | 2.0  | 1    | 2.0  | null",
            "no score in the last 7 days            | true  | 0:4 1:4 2:4 12:9     | 4.0  | null | null | null | null",
            "a later baseline: days 3 and 20        | true  | 3:4 20:6             | 5.0  | 6.0  | 1    | 1.0  | 20.0",
            "no baseline before care                | true  | -2:4                 | null | null | null | null | null",
            "no enrollment                          | false | 0:4 20:6             | null | 6.0  | 1    | null | null",
    })
    void summaryChange(String what, boolean enrolled, String resting, Double baseline, Double trailingMean, Integer trailingReports,
                       Double points, Double percent) {
        PainTrend.Summary s = PainTrend.summarize(enrolled ? enrollment(BERLIN) : null, null, days(BERLIN, reports(resting, null)),
                day(20), day(0), day(20));
        assertEquals(baseline, s.baseline(), what + ": baseline");
        assertEquals(trailingMean, s.trailingMean(), what + ": trailing mean");
        assertEquals(trailingReports, s.trailingReports(), what + ": trailing reports");
        assertEquals(points, s.changePoints(), what + ": points");
        assertEquals(percent, s.changePercent(), what + ": percent");
    }

    @Test
    void summarySeriesHasEveryScoredDayOfTheRange() {
        List<Facts.PainScore> reports = new ArrayList<>(reports("0:4 1:4 2:4 18:3 20:3", "18:9"));
        Facts.PainScore latest = after(20, "09:00", 5);
        reports.add(latest);
        NavigableMap<LocalDate, PatientDay> days = days(BERLIN, reports);
        withReps(days, day(17), KNEE, Side.LEFT, 3); // exercises but no pain: not in the series
        withReps(days, day(18), KNEE, Side.LEFT, 3);

        PainTrend.Summary s = PainTrend.summarize(enrollment(BERLIN), latest, days, day(20), day(15), day(20));

        assertEquals(List.of(
                new PainTrend.Day(day(18), 6.0, 9, 2, 3.0, 9.0),
                new PainTrend.Day(day(20), 4.0, 5, 2, 3.0, 5.0)), s.days());
        assertEquals(latest, s.latest());
        assertEquals(4.0, s.baseline());
        assertEquals(3.0, s.trailingMean(), "exercise scores are in the series, not in the trailing mean");
        assertEquals(2, s.trailingReports());
        assertEquals(-1.0, s.changePoints());
        assertEquals(-25.0, s.changePercent());
        assertEquals(List.of(new PainTrend.Day(day(0), 4.0, 4, 1, 4.0, null)),
                PainTrend.summarize(enrollment(BERLIN), latest, days, day(20), day(0), day(0)).days(), "a one-day range");
    }

    /** "d:s d:s" resting and exercise (after knee-to-chest) scores; the i-th of each list at 08:00 + i minutes. */
    private static List<Facts.PainScore> reports(String resting, String exercise) {
        List<Facts.PainScore> reports = new ArrayList<>();
        addScores(reports, resting, true);
        addScores(reports, exercise, false);
        return reports;
    }

    private static void addScores(List<Facts.PainScore> reports, String scores, boolean atRest) {
        if (scores == null || scores.isBlank()) {
            return;
        }
        String[] tokens = scores.trim().split("\\s+");
        for (int i = 0; i < tokens.length; i++) {
            String[] ds = tokens[i].split(":");
            String time = String.format("08:%02d", i);
            long dayNumber = Long.parseLong(ds[0]);
            int score = Integer.parseInt(ds[1]);
            reports.add(atRest ? rest(dayNumber, time, score) : after(dayNumber, time, score));
        }
    }
}
