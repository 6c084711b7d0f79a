package org.sciaticahep.session.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sciaticahep.rules.SafetyRules;

/** Every advice has its words in every language, and an app's Accept-Language picks them or falls back to English. */
class AdviceTextsTest {

    @Test
    void everyAdviceReadsInEveryLanguage() {
        for (Locale language : AdviceTexts.LANGUAGES) {
            for (SafetyRules.Advice advice : SafetyRules.Advice.values()) {
                String text = AdviceTexts.text(advice, language, "Glute {bridge} 'o");
                assertFalse(text.isBlank(), advice + " in " + language);
                assertFalse(text.contains("{0}"), advice + " in " + language);
                assertEquals(advice == SafetyRules.Advice.STOP_EXERCISE, text.contains("Glute {bridge} 'o"), advice + " in " + language);
            }
        }
        assertTrue(AdviceTexts.text(SafetyRules.Advice.SEVERE_PAIN, Locale.GERMAN, "").startsWith("Ihre Schmerzen"));
    }

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "-                          | en",
            "de                         | de",
            "de-DE,de;q=0.9,en;q=0.8    | de",
            "en-GB,en;q=0.9,de;q=0.8    | en",
            "fr-FR,de;q=0.5             | de",
            "fr-FR                      | en",
            "*                          | en",
            "en;q=2                     | en",
            "de;q=x                     | en",
            "de;q=0.1,en;q=0.9          | en"})
    void theAppsLanguageOrEnglish(String header, String expected) {
        assertEquals(expected, AdviceTexts.language(header).getLanguage());
    }
}
