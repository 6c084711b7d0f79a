package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A report's days: at most 366, ending no later than the patient's tomorrow; the refused parameter is named. */
class DateRangeTest {

    static final LocalDate TODAY = LocalDate.parse("2026-12-01");
    static final LocalDate START = LocalDate.parse("2026-11-01");

    static Stream<Arguments> ranges() {
        return Stream.of(
                // what | from | to | start | expected from..to, or the refused parameter
                Arguments.of("defaults: care so far", null, null, START, "2026-11-01..2026-12-01"),
                Arguments.of("defaults after two years of care: the last 366 days", null, null, LocalDate.parse("2024-11-01"), "2025-12-01..2026-12-01"),
                Arguments.of("care starting tomorrow", null, null, TODAY.plusDays(1), "2026-12-01..2026-12-01"),
                Arguments.of("to = tomorrow", null, "2026-12-02", START, "2026-11-01..2026-12-02"),
                Arguments.of("to = the day after tomorrow", null, "2026-12-03", START, "to"),
                Arguments.of("to = 9999-12-31", null, "9999-12-31", START, "to"),
                Arguments.of("exactly 366 days", "2025-12-01", "2026-12-01", START, "2025-12-01..2026-12-01"),
                Arguments.of("367 days", "2025-11-30", "2026-12-01", START, "from"),
                Arguments.of("from 0001-01-01", "0001-01-01", null, START, "from"),
                Arguments.of("from after to", "2026-11-20", "2026-11-19", START, "from"),
                Arguments.of("one day", "2026-11-20", "2026-11-20", START, "2026-11-20..2026-11-20"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void bounds(String what, String from, String to, LocalDate start, String expected) {
        LocalDate f = from == null ? null : LocalDate.parse(from);
        LocalDate t = to == null ? null : LocalDate.parse(to);
        if (expected.contains("..")) {
            DateRange range = DateRange.of(f, t, start, TODAY);
            assertEquals(expected, range.from() + ".." + range.to(), what);
        } else {
            Refusal.Invalid refused = assertThrows(Refusal.Invalid.class, () -> DateRange.of(f, t, start, TODAY), what);
            assertEquals(expected, refused.violations().get(0).field(), what);
        }
    }
}
