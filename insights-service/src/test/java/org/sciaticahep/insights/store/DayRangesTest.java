package org.sciaticahep.insights.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ranges of days a read asks for are joined where they overlap or touch, per patient, so no row is read twice. */
class DayRangesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            one range                      | a 1 5                   | a 1 5
            overlapping                    | a 1 5, a 3 9            | a 1 9
            touching                       | a 1 5, a 6 9            | a 1 9
            a day apart                    | a 1 5, a 7 9            | a 1 5, a 7 9
            inside another, any order      | a 3 4, a 1 9            | a 1 9
            baseline and a later window    | a 1 3, a 20 26, a 14 26 | a 1 3, a 14 26
            two patients never join        | a 1 5, b 3 9            | a 1 5, b 3 9
            """)
    void rangesAreJoinedPerPatient(String what, String asked, String expected) {
        assertEquals(expected, text(DayStore.merged(parse(asked))), what);
    }

    private static List<DayStore.Days> parse(String ranges) {
        List<DayStore.Days> all = new ArrayList<>();
        for (String r : ranges.split(",")) {
            String[] p = r.strip().split(" ");
            all.add(new DayStore.Days(p[0], day(p[1]), day(p[2])));
        }
        return all;
    }

    private static String text(List<DayStore.Days> ranges) {
        return String.join(", ", ranges.stream().map(r -> r.patientId() + " " + r.from().getDayOfMonth() + " " + r.to().getDayOfMonth()).toList());
    }

    private static LocalDate day(String dayOfMonth) {
        return LocalDate.of(2026, 11, Integer.parseInt(dayOfMonth));
    }
}
