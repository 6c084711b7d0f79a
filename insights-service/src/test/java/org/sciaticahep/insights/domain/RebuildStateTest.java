package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whose flags a new event re-derives while a rebuild reconciles patients in id order. */
class RebuildStateTest {

    @ParameterizedTest(name = "{0} through {1}: {2} → {3}")
    @CsvSource(nullValues = "null", value = {
            "DONE, null, p-1, true",
            "REPLAYING, null, p-1, false",
            "RECONCILING, '', p-1, false",
            "RECONCILING, p-5, p-4, true",
            "RECONCILING, p-5, p-5, true",
            "RECONCILING, p-5, p-6, false",
            "RECONCILING, p-5, P-9, true", // byte order, as the database's "C" collation orders ids
    })
    void evaluates(RebuildState.Status status, String through, String patient, boolean evaluates) {
        assertEquals(evaluates, new RebuildState(1, status, null, null, null, through).evaluatesFlagsOf(patient));
    }
}
