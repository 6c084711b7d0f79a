package org.sciaticahep.insights.domain;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.sciaticahep.support.Violations;

/**
 * The local days a report covers. A caller chooses them, so they are bounded: work and memory grow with the days
 * (one entry a day), never with a number the caller may pick at will.
 */
public record DateRange(LocalDate from, LocalDate to) {

    public static final int MAX_DAYS = 366;

    /**
     * {@code from}..{@code to} as asked, or by default the last {@value #MAX_DAYS} days of care up to today; at most
     * {@value #MAX_DAYS} days, ending no later than the patient's tomorrow.
     */
    public static DateRange of(LocalDate from, LocalDate to, LocalDate startDate, LocalDate today) {
        Violations v = Violations.collect();
        LocalDate until = to == null ? today : to;
        LocalDate since = from != null ? from : max(startDate.isAfter(until) ? until : startDate, until.minusDays(MAX_DAYS - 1));
        v.check(!until.isAfter(today.plusDays(1)), "to", "must not be after the patient's tomorrow (" + today.plusDays(1) + ")");
        if (v.check(!since.isAfter(until), "from", "must not be after to")) {
            v.check(ChronoUnit.DAYS.between(since, until) < MAX_DAYS, "from", "must be at most " + MAX_DAYS + " days before to");
        }
        if (!v.isEmpty()) {
            throw new Refusal.Invalid(v.list(), "the date range is out of bounds");
        }
        return new DateRange(since, until);
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }
}
