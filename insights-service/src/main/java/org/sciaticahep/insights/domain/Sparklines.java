package org.sciaticahep.insights.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The patient list's small day-by-day lines: one value per local day from..to, oldest first, null for a day with
 * nothing to show (nothing expected, no resting report, before care began), which the line shows as a gap.
 */
public final class Sparklines {

    private Sparklines() {
    }

    /** Each day's adherence, completed ÷ expected, capped at 1: a day of extra work does not hide a missed one. */
    public static List<Double> adherence(Adherence.Report report, LocalDate from, LocalDate to) {
        Map<LocalDate, Double> ratios = new HashMap<>();
        if (report != null) {
            report.days().forEach(d -> ratios.put(d.date(), d.ratio() == null ? null : Math.min(1.0, d.ratio())));
        }
        List<Double> line = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            line.add(ratios.get(day));
        }
        return line;
    }

    /**
     * Each day's mean resting pain (check-ins and before exercise), 0-10: the line the clinician reads as "how it is".
     * Days before {@code careBegan} are gaps: what the patient reported in another care is not this one's to show.
     */
    public static List<Double> restingPain(NavigableMap<LocalDate, PatientDay> days, LocalDate careBegan, LocalDate from, LocalDate to) {
        List<Double> line = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            PatientDay d = day.isBefore(careBegan) ? null : days.get(day);
            line.add(d == null ? null : d.restingMean());
        }
        return line;
    }
}
