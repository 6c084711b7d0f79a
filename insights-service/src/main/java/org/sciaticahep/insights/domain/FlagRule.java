package org.sciaticahep.insights.domain;

/**
 * Why a patient is flagged for review, and how urgently. Thresholds: 2 points or 30 % on the 0–10 scale is a
 * clinically important change (Farrar 2001, Ostelo 2008); most sciatica improves in 4–6 weeks; exercise may
 * stretch but must not worsen pain or cause new pain (the source article).
 */
public enum FlagRule {
    RED_FLAG_SYMPTOMS(Severity.CRITICAL, Reads.PAIN, "Red-flag symptoms reported: urgent medical care is advised"),
    EXERCISE_WORSENS_PAIN(Severity.HIGH, Reads.PAIN, "Pain rose by 2 or more points with an exercise: the patient should stop it"),
    NEW_PAIN(Severity.HIGH, Reads.PAIN, "New pain reported"),
    SEVERE_PAIN(Severity.HIGH, Reads.PAIN, "Severe pain (7 or more of 10)"),
    PAIN_TRENDING_WORSE(Severity.MEDIUM, Reads.PAIN, "Pain over the last 7 days is 2+ points and 30 %+ above baseline"),
    NOT_IMPROVING(Severity.MEDIUM, Reads.PAIN, "Six weeks in and pain is still above 70 % of baseline"),
    LOW_ADHERENCE(Severity.LOW, Reads.EXERCISES, "Fewer than half of the prescribed exercises done in the last 7 days");

    /**
     * Which reports a rule is derived from (besides the enrollment, which every rule reads): a new exercise cannot
     * change a pain rule's flags, nor a pain report the adherence rule's, so neither needs the other's history read.
     */
    public enum Reads {
        PAIN,
        EXERCISES
    }

    public enum Severity {
        CRITICAL,
        HIGH,
        MEDIUM,
        LOW
    }

    private final Severity severity;
    private final Reads reads;
    private final String description;

    FlagRule(Severity severity, Reads reads, String description) {
        this.severity = severity;
        this.reads = reads;
        this.description = description;
    }

    public Reads reads() {
        return reads;
    }

    public Severity severity() {
        return severity;
    }

    public String description() {
        return description;
    }
}
