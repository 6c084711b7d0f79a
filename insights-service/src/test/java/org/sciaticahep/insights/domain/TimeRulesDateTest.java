package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When the date the time-based rules were evaluated through may move on to today: only after an evaluation that
 * covered every period rule from that date (a batch of today's reports alone must not skip yesterday's adherence).
 */
class TimeRulesDateTest {

    static final LocalDate TODAY = LocalDate.of(2026, 12, 1);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            the time rules' own scope, from the stored date            | periods | 2026-11-30 | 2026-11-30 | true
            the time rules' own scope after days down                  | periods | 2026-11-20 | 2026-11-20 | true
            everything                                                 | all     |            | 2026-11-30 | true
            everything, never evaluated                                | all     |            |            | true
            a report and an exercise of today: yesterday not evaluated | today   |            | 2026-11-30 | false
            a report and an exercise of yesterday, stored yesterday    | ydays   |            | 2026-11-30 | true
            a report and an exercise of yesterday, stored two days ago | ydays   |            | 2026-11-29 | false
            a pain report only (no adherence days)                     | pain    |            | 2026-11-30 | false
            never evaluated, a window of events                        | ydays   |            |            | false
            """)
    void theDateMovesOnOnlyOverEveryDaySinceIt(String what, String kind, LocalDate from, LocalDate stored, boolean moves) {
        Scope scope = switch (kind) {
            case "periods" -> Scope.periods(from, TODAY);
            case "all" -> Scope.EVERYTHING;
            case "today" -> new Scope.Builder().pain(TODAY).exercise(TODAY).build();
            case "ydays" -> new Scope.Builder().pain(TODAY.minusDays(1)).exercise(TODAY.minusDays(1)).build();
            case "pain" -> new Scope.Builder().pain(TODAY.minusDays(1)).build();
            default -> throw new IllegalArgumentException(kind);
        };
        assertEquals(moves, FlagEvaluation.coversPeriodsSince(scope, stored, TODAY), what);
    }
}
