package org.sciaticahep.session.domain;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import org.sciaticahep.rules.SafetyRules;

/** The patient's words for each advice, in English and German (advice*.properties): one place for every text. */
public final class AdviceTexts {

    /** The languages the texts exist in; anything else is answered in English. */
    static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.GERMAN);

    private AdviceTexts() {
    }

    /** The first of the caller's languages there are texts in, else English. */
    public static Locale language(List<Locale> acceptable) {
        for (Locale wanted : acceptable) {
            for (Locale known : LANGUAGES) {
                if (known.getLanguage().equals(wanted.getLanguage())) {
                    return known;
                }
            }
        }
        return Locale.ENGLISH;
    }

    static String text(SafetyRules.Advice advice, Locale language, String exerciseName) {
        ResourceBundle texts = ResourceBundle.getBundle("advice", language, ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES));
        return new MessageFormat(texts.getString(advice.name()), language).format(new Object[] {exerciseName});
    }
}
