package org.sciaticahep.insights.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sciaticahep.insights.domain.PainTrend;

/** The pain chart: resting and exercise scores apart, gaps shown, a 0–10 scale, dated ticks, the baseline labelled. */
class ChartsTest {

    private static final LocalDate FROM = LocalDate.parse("2026-11-01");

    @Test
    void figuresToOneDecimalReadAsFormatWritesThem() {
        double[] values = {0, 0.04, 0.05, 0.15, 0.25, 0.35, 1.45, 2.5, 3.3333333333333335, 4.65, 6.666666666666667, 9.95, 10};
        for (double v : values) {
            assertEquals(String.format(java.util.Locale.ROOT, "%.1f", v), Charts.tenths(v), "tenths of " + v);
            assertEquals(String.format(java.util.Locale.ROOT, "%.1f", -v).replace("-0.0", "0.0"), Charts.tenths(-v), "tenths of " + -v);
            assertEquals(String.format(java.util.Locale.ROOT, "%.1f", v * 10), Charts.coordinate(v * 10), "coordinate " + v * 10);
        }
        Charts.Format fmt = new Charts.Format();
        assertEquals("+2.0", fmt.signed(2.0));
        assertEquals("-1.5", fmt.signed(-1.5));
        assertEquals("+0.0", fmt.signed(0.0));
        assertEquals("–", fmt.score(null));
    }

    @Test
    void restingAndExerciseScoresAreTwoLinesBrokenWhereADayHasNone() {
        PainTrend.Summary pain = summary(3.0,
                day(0, 4.0, null), day(1, 5.0, 7.0), day(2, null, 6.0), day(4, 2.0, null), day(40, 9.0, null));
        Charts.PainChart chart = Charts.painChart(pain, FROM, FROM.plusDays(28));

        // x: 34 + 646 × day / 28; y: 180 − score × 15.6
        assertEquals("M34.0,117.6 L57.1,102.0 M126.3,148.8", chart.restingPath(), "day 3 has no resting score: a gap");
        assertEquals("M57.1,70.8 L80.1,86.4", chart.exercisePath());
        assertEquals(List.of("2026-11-01: resting 4.0", "2026-11-02: resting 5.0", "2026-11-05: resting 2.0"),
                chart.resting().stream().map(Charts.Point::label).toList(), "day 40 is outside the range");
        assertEquals(List.of("2026-11-02: with exercise 7.0", "2026-11-03: with exercise 6.0"),
                chart.exercise().stream().map(Charts.Point::label).toList());
        assertEquals(4, chart.days().size(), "the table has the range's days");
        assertEquals(133.2, chart.baselineY(), 1e-9);
        assertEquals("baseline 3.0", chart.baselineLabel());
    }

    @Test
    void theScaleIsZeroToTenAndTheAxisIsDated() {
        Charts.PainChart chart = Charts.painChart(summary(null), FROM, FROM.plusDays(28));
        assertEquals(List.of("0", "2", "4", "6", "8", "10"), chart.yTicks().stream().map(Charts.Tick::label).toList());
        assertEquals(180.0, chart.yTicks().get(0).at(), 1e-9);
        assertEquals(24.0, chart.yTicks().get(5).at(), 1e-9);
        assertEquals(List.of("2026-11-01", "2026-11-08", "2026-11-15", "2026-11-22", "2026-11-29"),
                chart.xTicks().stream().map(Charts.Tick::label).toList());
        assertEquals(34.0, chart.xTicks().get(0).at(), 1e-9);
        assertEquals(680.0, chart.xTicks().get(4).at(), 1e-9);
        assertEquals(List.of("start", "middle", "middle", "middle", "end"), chart.xTicks().stream().map(Charts.Tick::anchor).toList(),
                "the first and last dates stay inside the chart");
        assertNull(chart.baselineY(), "no baseline yet: no line");
        assertEquals("", chart.restingPath());
        assertEquals(List.of("2026-11-01"), Charts.painChart(summary(null), FROM, FROM).xTicks().stream()
                .map(Charts.Tick::label).toList(), "a one-day range has one tick");
    }

    private static PainTrend.Day day(int n, Double resting, Double exercise) {
        double mean = resting != null && exercise != null ? (resting + exercise) / 2 : resting != null ? resting : exercise;
        return new PainTrend.Day(FROM.plusDays(n), mean, (int) Math.ceil(mean), 2, resting, exercise);
    }

    private static PainTrend.Summary summary(Double baseline, PainTrend.Day... days) {
        return new PainTrend.Summary(baseline, null, null, null, null, null, List.of(days));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} s → {1}")
    @org.junit.jupiter.params.provider.CsvSource({"0, just now", "59, just now", "60, 1 min ago", "3599, 59 min ago", "3600, 1 h ago",
            "86399, 23 h ago", "86400, 1 d ago", "-30, just now"})
    void ageAsAClinicianScansIt(long secondsAgo, String shown) {
        java.time.Instant now = java.time.Instant.parse("2026-12-02T12:00:00Z");
        assertEquals(shown, Charts.Format.ago(now.minusSeconds(secondsAgo), now));
        assertEquals("2026-12-02 11:59 UTC", new Charts.Format().exact(now.minusSeconds(60)));
    }
}
