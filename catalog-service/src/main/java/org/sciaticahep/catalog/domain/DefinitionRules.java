package org.sciaticahep.catalog.domain;

import java.util.List;
import java.util.regex.Pattern;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.support.DosageRules;
import org.sciaticahep.support.Violations;

/** Field rules shared by exercises and programs. Limits are generous for clinicians and tight for abuse. */
final class DefinitionRules {

    static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    static final int MAX_ID = 64;
    static final int MAX_NAME = 120;
    static final int MAX_TEXT = 1000;
    static final int MAX_ITEMS = 30;

    private DefinitionRules() {
    }

    static void id(String id, Violations v) {
        if (v.notBlank(id, "id", MAX_ID)) {
            v.check(SLUG.matcher(id).matches(), "id", "must be a lowercase slug such as knee-to-chest");
        }
    }

    static void texts(List<String> values, String field, boolean required, int maxLength, Violations v) {
        if (values == null || values.isEmpty()) {
            v.check(!required, field, "must list at least one entry");
            return;
        }
        if (!v.check(values.size() <= MAX_ITEMS, field, "must have at most " + MAX_ITEMS + " entries")) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            v.notBlank(values.get(i), field + "[" + i + "]", maxLength);
        }
    }

    static void exercise(ExerciseDefinition e, Violations v) {
        v.notBlank(e.name(), "name", MAX_NAME);
        texts(e.aliases(), "aliases", false, MAX_NAME, v);
        v.present(e.kind(), "kind");
        texts(e.targetMuscles(), "targetMuscles", false, MAX_NAME, v);
        texts(e.steps(), "steps", true, MAX_TEXT, v);
        if (v.present(e.dosage(), "dosage")) {
            DosageRules.dosage(e.dosage(), v.under("dosage"));
            if (e.progression() != null) {
                DosageRules.progression(e.progression(), e.dosage(), v);
            }
        }
        texts(e.cautions(), "cautions", false, MAX_TEXT, v);
    }
}
