package org.sciaticahep.insights.domain;

import java.time.LocalDate;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which of a patient's rule occurrences an evaluation derives again. A pain report on day D can change the report
 * rules of D and the pain-trend rules of D..D+6 (their seven-day windows); an exercise, adherence of D..D+6. Time
 * passing changes the period rules of the days since the last evaluation. Any event and time passing change the
 * activity rule (the current quiet spell: at most two occurrences). Everything (a new enrollment, a changed baseline,
 * a rebuild) re-derives the whole history, which only events that rarely happen ask for.
 */
public record Scope(boolean everything, SortedSet<LocalDate> reportDays, LocalDate trendFrom, LocalDate trendTo,
                    LocalDate adherenceFrom, LocalDate adherenceTo, boolean activity) {

    /** Days a trend or adherence occurrence looks back over, besides its own. */
    static final int WINDOW_BEFORE = PainTrend.WINDOW_DAYS - 1;

    public static final Scope EVERYTHING = new Scope(true, Collections.emptySortedSet(), null, null, null, null, true);

    /** The period rules of {@code from}..{@code to}: what time passing alone changes. */
    public static Scope periods(LocalDate from, LocalDate to) {
        return new Scope(false, Collections.emptySortedSet(), from, to, from, to, true);
    }

    public boolean covers(FlagRule.Family family, LocalDate day) {
        if (everything) {
            return true;
        }
        return switch (family) {
            case REPORT -> reportDays.contains(day);
            case PAIN_TREND -> within(day, trendFrom, trendTo);
            case ADHERENCE -> within(day, adherenceFrom, adherenceTo);
            case ACTIVITY -> activity;
        };
    }

    /** The first and last day any occurrence of this scope is about (null for everything). */
    public LocalDate firstDay() {
        return min(min(reportDays.isEmpty() ? null : reportDays.first(), trendFrom), adherenceFrom);
    }

    public LocalDate lastDay() {
        return max(max(reportDays.isEmpty() ? null : reportDays.last(), trendTo), adherenceTo);
    }

    private static boolean within(LocalDate day, LocalDate from, LocalDate to) {
        return from != null && !day.isBefore(from) && !day.isAfter(to);
    }

    static LocalDate min(LocalDate a, LocalDate b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    static LocalDate max(LocalDate a, LocalDate b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /** Collects what arriving events change. */
    public static final class Builder {
        private boolean everything;
        private final SortedSet<LocalDate> reportDays = new TreeSet<>();
        private LocalDate trendFrom;
        private LocalDate trendTo;
        private LocalDate adherenceFrom;
        private LocalDate adherenceTo;
        private boolean activity;

        public Builder everything() {
            everything = true;
            return this;
        }

        /** A pain report of {@code day}. */
        public Builder pain(LocalDate day) {
            activity = true;
            reportDays.add(day);
            trendFrom = min(trendFrom, day);
            trendTo = max(trendTo, day.plusDays(WINDOW_BEFORE));
            return this;
        }

        /** A day whose report rules change although no report of it arrived (its first pain at a place moved). */
        public Builder reportsOf(LocalDate day) {
            reportDays.add(day);
            return this;
        }

        public Builder exercise(LocalDate day) {
            activity = true;
            adherenceFrom = min(adherenceFrom, day);
            adherenceTo = max(adherenceTo, day.plusDays(WINDOW_BEFORE));
            return this;
        }

        public boolean isEmpty() {
            return !everything && reportDays.isEmpty() && trendFrom == null && adherenceFrom == null && !activity;
        }

        public Scope build() {
            return everything ? EVERYTHING : new Scope(false, Collections.unmodifiableSortedSet(new TreeSet<>(reportDays)),
                    trendFrom, trendTo, adherenceFrom, adherenceTo, activity);
        }
    }
}
