package org.sciaticahep.insights.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which records of a batch are applied, given where the database says each partition is. */
class PositionsTest {

    record R(int partition, long offset) implements Positions.Placed {
    }

    /** "p:o" records, e.g. "0:5 0:6 1:3". */
    static List<R> batch(String records) {
        List<R> all = new ArrayList<>();
        for (String r : records.split(" ")) {
            String[] po = r.split(":");
            all.add(new R(Integer.parseInt(po[0]), Long.parseLong(po[1])));
        }
        return all;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // what | batch | stored | taken | next | behind
                Arguments.of("never applied: everything", "0:5 0:6 1:3", Map.of(), "0:5 0:6 1:3", Map.of(0, 7L, 1, 4L), Map.of()),
                Arguments.of("exactly where the database is", "0:5 0:6", Map.of(0, 5L), "0:5 0:6", Map.of(0, 7L), Map.of()),
                Arguments.of("a redelivery: the applied part skipped", "0:4 0:5 0:6", Map.of(0, 5L), "0:5 0:6", Map.of(0, 7L), Map.of()),
                Arguments.of("wholly applied already", "0:3 0:4", Map.of(0, 5L), "", Map.of(), Map.of()),
                Arguments.of("one past the database: sent back", "0:6 0:7", Map.of(0, 5L), "", Map.of(), Map.of(0, 5L)),
                Arguments.of("after a rebuild: sent back to 0", "0:900 1:3", Map.of(0, 0L, 1, 3L), "1:3", Map.of(1, 4L), Map.of(0, 0L)),
                Arguments.of("a gap inside the batch: applied up to it", "0:5 0:7 0:8", Map.of(0, 5L), "0:5", Map.of(0, 6L), Map.of(0, 6L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void claims(String what, String records, Map<Integer, Long> stored, String taken, Map<Integer, Long> next,
                Map<Integer, Long> behind) {
        Positions.Claim<R> claim = Positions.claim(batch(records), stored);
        assertEquals(taken.isEmpty() ? List.of() : batch(taken), claim.taken(), what);
        assertEquals(next, claim.next(), what);
        assertEquals(behind, claim.behind(), what);
    }
}
