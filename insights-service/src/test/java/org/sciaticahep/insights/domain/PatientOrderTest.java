package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each column's order both ways: rows without the figure last either way, ties by patient id. */
class PatientOrderTest {

    record R(String patientId, String programId, long day, Double adherence7, Double adherence28, Double painBaseline,
             Double painLast7, Double painChange, long flagsWaiting, int worstRank, int paused, int suggestionCount)
            implements PatientOrder.Row {
    }

    static final R A = new R("a", "sciatica-relief", 10, 0.9, 0.8, 5.0, 3.0, -2.0, 1, 1, 0, 2);
    static final R B = new R("b", "back-basics", 3, 0.2, 0.5, 4.0, 6.0, 2.0, 3, 1, 2, 0);
    static final R C = new R("c", "back-basics", 30, null, null, null, null, null, 0, 4, 0, 0);
    static final R D = new R("d", "sciatica-relief", 10, 0.9, 0.8, 6.0, 3.0, -3.0, 1, 0, 1, 1);

    static Stream<Arguments> orders() {
        return Stream.of(
                Arguments.of(PatientOrder.PATIENT, "abcd", "dcba"),
                Arguments.of(PatientOrder.PROGRAM, "bcad", "adbc"),          // ties by patient id, ascending either way
                Arguments.of(PatientOrder.DAY, "badc", "cadb"),
                Arguments.of(PatientOrder.ADHERENCE_7, "badc", "adbc"),      // no figure: last either way
                Arguments.of(PatientOrder.ADHERENCE_28, "badc", "adbc"),
                Arguments.of(PatientOrder.PAIN_BASELINE, "badc", "dabc"),
                Arguments.of(PatientOrder.PAIN_LAST_7, "adbc", "badc"),
                Arguments.of(PatientOrder.PAIN_CHANGE, "dabc", "badc"),
                Arguments.of(PatientOrder.FLAGS, "dbac", "abdc"),            // worst severity first, then the most flags
                Arguments.of(PatientOrder.PAUSED, "acdb", "bdac"),
                Arguments.of(PatientOrder.SUGGESTIONS, "bcda", "adbc"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void eachColumnSortsBothWays(PatientOrder order, String ascending, String descending) {
        List<R> rows = List.of(C, A, D, B);
        assertEquals(ascending, ids(rows.stream().sorted(order.<R>comparator(false)).toList()), "ascending");
        assertEquals(descending, ids(rows.stream().sorted(order.<R>comparator(true)).toList()), "descending");
        assertEquals(order, PatientOrder.of(order.parameter()), "its parameter names it");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknown")
    void aParameterThatNamesNoColumnIsNone(String parameter) {
        assertNull(PatientOrder.of(parameter));
    }

    static Stream<String> unknown() {
        return Stream.of("ADHERENCE_7", "adherence7", "", "patient ", "pain");
    }

    private static String ids(List<R> rows) {
        StringBuilder s = new StringBuilder();
        rows.forEach(r -> s.append(r.patientId()));
        return s.toString();
    }
}
