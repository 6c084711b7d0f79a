package org.sciaticahep.insights.domain;

/**
 * Why a patient is flagged for review, and how urgently. Thresholds: 2 points or 30 % on the 0–10 scale is a
 * clinically important change (Farrar 2001, Ostelo 2008); most sciatica improves in 4–6 weeks; exercise may
 * stretch but must not worsen pain or cause new pain (the source article).
 */
public enum FlagRule {
    RED_FLAG_SYMPTOMS(Severity.CRITICAL, Family.REPORT, "Red-flag symptoms reported: urgent medical care is advised"),
    EXERCISE_WORSENS_PAIN(Severity.HIGH, Family.REPORT, "Pain rose by 2 or more points with an exercise: the patient should stop it"),
    NEW_PAIN(Severity.HIGH, Family.REPORT, "New pain reported"),
    SEVERE_PAIN(Severity.HIGH, Family.REPORT, "Severe pain (7 or more of 10)"),
    PAIN_TRENDING_WORSE(Severity.MEDIUM, Family.PAIN_TREND, "Pain over the last 7 days is 2+ points and 30 %+ above baseline"),
    NOT_IMPROVING(Severity.MEDIUM, Family.PAIN_TREND, "Six weeks in and pain is still above 70 % of baseline"),
    LOW_ADHERENCE(Severity.LOW, Family.ADHERENCE, "Fewer than half of the prescribed exercises done in the last 7 days"),
    /** LOW after 3 quiet days, raised to MEDIUM after 14 (its occurrences carry their own severity). */
    NO_RECENT_ACTIVITY(Severity.LOW, Family.ACTIVITY, "No exercise or pain report for 3 days or more");

    /**
     * What a rule's occurrence on a local day is computed from, and so which days an arriving event can change:
     * REPORT rules look at single pain reports of that day; PAIN_TREND rules at the resting scores of the seven days
     * ending on it (so a report changes that day and the six after it); ADHERENCE at the exercises of those seven days;
     * ACTIVITY at the patient's latest day with any report, as of today (any event, or a day passing, can change it).
     */
    public enum Family {
        REPORT,
        PAIN_TREND,
        ADHERENCE,
        ACTIVITY
    }

    public enum Severity {
        CRITICAL,
        HIGH,
        MEDIUM,
        LOW
    }

    private final Severity severity;
    private final Family family;
    private final String description;

    FlagRule(Severity severity, Family family, String description) {
        this.severity = severity;
        this.family = family;
        this.description = description;
    }

    public Family family() {
        return family;
    }

    public Severity severity() {
        return severity;
    }

    public String description() {
        return description;
    }
}
