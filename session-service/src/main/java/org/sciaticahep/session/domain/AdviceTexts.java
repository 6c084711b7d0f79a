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

    /**
     * The first language of an {@code Accept-Language} header, by weight, there are texts in; else English, also for
     * a header that cannot be read (an app's odd header must never cost it its events).
     */
    public static Locale language(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.length() > MAX_HEADER) {
            return Locale.ENGLISH;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
                for (Locale known : LANGUAGES) {
                    if (range.getRange().equals(known.getLanguage()) || range.getRange().startsWith(known.getLanguage() + "-")) {
                        return known;
                    }
                }
            }
        } catch (IllegalArgumentException unreadable) {
            // English
        }
        return Locale.ENGLISH;
    }

    private static final int MAX_HEADER = 200;

    /** The advice in the patient's words; {@code exerciseName} fills STOP_EXERCISE's blank. */
    public static String text(SafetyRules.Advice advice, Locale language, String exerciseName) {
        ResourceBundle texts = ResourceBundle.getBundle("advice", language, ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES));
        return new MessageFormat(texts.getString(advice.name()), language).format(new Object[] {exerciseName});
    }
}
