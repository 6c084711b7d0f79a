package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.Progression;
import org.sciaticahep.contracts.catalog.Range;

/**
 * The next step of a dosage by the article's progressions. Dosages are written
 * {@code sets x repsMin-repsMax [hold holdMin-holdMax]}, progressions {@code reps by/max, sets by/max, hold by/max}.
 */
class ProgressionRulesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // what | dosage | progression (reps; sets; hold) | next
            "glute bridge: reps 8-10 to 10 first          | 1 x 8-10        | 2/10; 1/3; -  | 1 x 10-10",
            "glute bridge: then a second set              | 1 x 10-10       | 2/10; 1/3; -  | 2 x 10-10",
            "glute bridge: a third set                    | 2 x 10-10       | 2/10; 1/3; -  | 3 x 10-10",
            "glute bridge: at the top                     | 3 x 10-10       | 2/10; 1/3; -  | -",
            "pelvic tilt: from 10 by 2                    | 1 x 10-10       | 2/20; -; -    | 1 x 12-12",
            "pelvic tilt: capped at 20                    | 1 x 19-19       | 2/20; -; -    | 1 x 20-20",
            "pelvic tilt: at 20                           | 1 x 20-20       | 2/20; -; -    | -",
            "knee to chest: the hold's low end by 5       | 1 x 3-3 h 0-30  | -; -; 5/30    | 1 x 3-3 h 5-30",
            "pigeon: up to 20                             | 1 x 1-1 h 15-20 | -; -; 5/20    | 1 x 1-1 h 20-20",
            "pigeon: at 20                                | 1 x 1-1 h 20-20 | -; -; 5/20    | -",
            "a hold above the range's top lifts the top   | 1 x 1-1 h 10-10 | -; -; 5/30    | 1 x 1-1 h 15-15",
            "no progression                               | 1 x 8-10        | -             | -",
            "a hold step but no hold in the dosage        | 1 x 8-10        | -; -; 5/30    | -",
    })
    void next(String what, String dosage, String progression, String expected) {
        assertEquals(expected == null ? null : dosage(expected), ProgressionRules.next(dosage(dosage), progression(progression)), what);
    }

    /** "2 x 10-12 h 5-30" → a dosage. */
    private static Dosage dosage(String written) {
        String[] parts = written.trim().split("\\s+");
        int sets = Integer.parseInt(parts[0]);
        Range reps = range(parts[2]);
        Range hold = parts.length > 3 ? range(parts[4]) : null;
        return new Dosage(sets, reps, hold, false);
    }

    private static Range range(String minMax) {
        String[] mm = minMax.split("-");
        return new Range(Integer.parseInt(mm[0]), Integer.parseInt(mm[1]));
    }

    /** "2/10; 1/3; -" → reps, sets, hold steps. */
    private static Progression progression(String written) {
        if (written == null) {
            return null;
        }
        String[] steps = written.split(";");
        return new Progression(step(steps[0]), step(steps.length > 1 ? steps[1] : "-"), step(steps.length > 2 ? steps[2] : "-"));
    }

    private static Progression.Step step(String byMax) {
        String s = byMax.trim();
        if (s.equals("-")) {
            return null;
        }
        String[] parts = s.split("/");
        return new Progression.Step(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
}
