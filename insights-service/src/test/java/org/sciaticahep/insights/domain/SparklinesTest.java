package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The patient list's lines: one value per day, gaps where there is nothing, at the edges of their days. */
class SparklinesTest {

    static final LocalDate TO = LocalDate.parse("2026-03-29"); // the day Europe's clocks change: still one day
    static final LocalDate FROM = TO.minusDays(3);

    @Test
    void adherenceIsEachDaysRatioCappedAtOneWithGapsWhereNothingWasExpected() {
        Adherence.Report report = new Adherence.Report(FROM.minusDays(1), TO, 0, 0, null, List.of(
                new Adherence.Day(FROM.minusDays(1), 2, 2, 1.0),   // before the line's first day: not on it
                new Adherence.Day(FROM, 2, 1, 0.5),
                new Adherence.Day(FROM.plusDays(1), 0, 1, null),  // nothing expected: a gap, however much was done
                new Adherence.Day(TO, 2, 3, 1.5)),                 // extra work: at most a full day
                List.of());
        assertEquals(Arrays.asList(0.5, null, null, 1.0), Sparklines.adherence(report, FROM, TO));
        assertEquals(Arrays.asList(null, null, null, null), Sparklines.adherence(null, FROM, TO), "no prescription known: all gaps");
        assertEquals(28, Sparklines.adherence(report, TO.minusDays(27), TO).size());
    }

    @Test
    void painIsEachDaysRestingMeanOnlyWithGapsWhereNoneWasReported() {
        NavigableMap<LocalDate, PatientDay> days = new TreeMap<>();
        days.put(FROM, new PatientDay.Builder(FROM).addPain(2, 9, 5, null, 1, 8, 8).build());     // resting 4.5; exercise pain left out
        days.put(FROM.plusDays(2), new PatientDay.Builder(FROM.plusDays(2)).addPain(0, 0, null, null, 2, 12, 7).build()); // exercise pain only
        days.put(TO.plusDays(1), new PatientDay.Builder(TO.plusDays(1)).addPain(1, 9, 9, null, 0, 0, null).build()); // after the line
        assertEquals(Arrays.asList(4.5, null, null, null), Sparklines.restingPain(days, FROM, FROM, TO));
        days.put(FROM.plusDays(1), new PatientDay.Builder(FROM.plusDays(1)).addPain(1, 3, 3, null, 0, 0, null).build());
        assertEquals(Arrays.asList(4.5, 3.0, null, null), Sparklines.restingPain(days, FROM, FROM, TO));
        assertEquals(Arrays.asList(null, 3.0, null, null), Sparklines.restingPain(days, FROM.plusDays(1), FROM, TO),
                "a day before this care began is a gap, whatever was reported in another");
        assertEquals(Arrays.asList(null, null, null, null), Sparklines.restingPain(days, TO.plusDays(1), FROM, TO));
    }
}
