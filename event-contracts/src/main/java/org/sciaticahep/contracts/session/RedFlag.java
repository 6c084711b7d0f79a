package org.sciaticahep.contracts.session;

/** Symptoms from the app's checklist that need urgent medical care, not an exercise program. */
public enum RedFlag {
    SADDLE_NUMBNESS,
    BLADDER_OR_BOWEL_CHANGE,
    BOTH_LEGS,
    LEG_WEAKNESS
}
