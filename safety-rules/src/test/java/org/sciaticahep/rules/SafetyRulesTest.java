package org.sciaticahep.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sciaticahep.contracts.session.PainContext;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.RedFlag;
import org.sciaticahep.contracts.session.Side;
import org.sciaticahep.rules.SafetyRules.Advice;

/** Each rule at its threshold, one below, and outside its context. */
class SafetyRulesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "resting score 6: nothing                         | 6  | CHECK_IN         | -            | -   | ",
            "resting score 7: severe                          | 7  | CHECK_IN         | -            | -   | SEVERE_PAIN",
            "score 10 with a red flag: urgent care first      | 10 | CHECK_IN         | BOTH_LEGS    | -   | SEEK_URGENT_CARE SEVERE_PAIN",
            "a red flag at score 0                            | 0  | CHECK_IN         | SADDLE_NUMBNESS | - | SEEK_URGENT_CARE",
            "after exercise, 2 above the resting score        | 5  | AFTER_EXERCISE   | -            | 3.0 | STOP_EXERCISE",
            "during exercise, 2 above                         | 4  | DURING_EXERCISE  | -            | 2.0 | STOP_EXERCISE",
            "after exercise, 1 above: it may stretch           | 4  | AFTER_EXERCISE   | -            | 3.0 | ",
            "after exercise without a reference               | 9  | AFTER_EXERCISE   | -            | -   | SEVERE_PAIN",
            "before exercise is at rest, never 'worsens'      | 6  | BEFORE_EXERCISE  | -            | 2.0 | ",
            "a check-in far above the reference is not an exercise | 6 | CHECK_IN       | -            | 1.0 | ",
            "a reference a rounding error above 1: 3 still worsens | 3 | AFTER_EXERCISE | -          | 1.0000000000000002 | STOP_EXERCISE",
            "a baseline of 1.5: 3 is not 2 above              | 3  | AFTER_EXERCISE   | -            | 1.5 | ",
            "all three                                        | 8  | AFTER_EXERCISE   | LEG_WEAKNESS | 2.0 | SEEK_URGENT_CARE STOP_EXERCISE SEVERE_PAIN"})
    void advice(String what, int score, PainContext context, String redFlags, Double reference, String expected) {
        List<RedFlag> flags = redFlags == null ? List.of() : List.of(RedFlag.valueOf(redFlags));
        List<Advice> advice = SafetyRules.advise(score, PainLocation.LOWER_BACK, Side.LEFT, context, flags, reference);
        assertEquals(expected == null ? List.of() : Arrays.stream(expected.split(" ")).map(Advice::valueOf).toList(), advice, what);
    }

    @ParameterizedTest(name = "{0} {1}, ticked {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "THIGH     | BOTH  | -                | BOTH_LEGS",
            "CALF      | BOTH  | -                | BOTH_LEGS",
            "FOOT      | BOTH  | -                | BOTH_LEGS",
            "FOOT      | BOTH  | BOTH_LEGS        | BOTH_LEGS",
            "CALF      | BOTH  | LEG_WEAKNESS     | LEG_WEAKNESS BOTH_LEGS",
            "CALF      | LEFT  | -                | -",
            "FOOT      | RIGHT | -                | -",
            "BUTTOCK   | BOTH  | -                | -",
            "LOWER_BACK| BOTH  | -                | -",
            "LOWER_BACK| BOTH  | SADDLE_NUMBNESS  | SADDLE_NUMBNESS"})
    void legPainOnBothSidesIsTheBothLegsRedFlag(PainLocation location, Side side, String ticked, String expected) {
        List<RedFlag> reported = ticked == null ? null : List.of(RedFlag.valueOf(ticked));
        List<RedFlag> flags = SafetyRules.redFlags(reported, location, side);
        assertEquals(expected == null ? List.of() : Arrays.stream(expected.split(" ")).map(RedFlag::valueOf).toList(), flags);
        // and the patient is told to seek urgent care exactly then, at any score
        assertEquals(expected != null, SafetyRules.advise(1, location, side, PainContext.CHECK_IN, reported, null)
                .contains(Advice.SEEK_URGENT_CARE));
    }
}
