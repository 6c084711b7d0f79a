package org.sciaticahep.contracts.session;

/** When a pain score was taken, relative to exercising. */
public enum PainContext {
    CHECK_IN,
    BEFORE_EXERCISE,
    DURING_EXERCISE,
    AFTER_EXERCISE;

    /** Scores taken while or right after exercising, which must name the exercise. */
    public boolean isAboutAnExercise() {
        return this == DURING_EXERCISE || this == AFTER_EXERCISE;
    }
}
