package org.sciaticahep.insights.domain;

/**
 * Which flags of a clinician's review queue to show: of one severity, of one rule, only open or only acknowledged
 * ones; null where any will do.
 */
public record QueueFilter(FlagRule.Severity severity, FlagRule rule, ReviewFlag.Status status) {

    public static final QueueFilter ANY = new QueueFilter(null, null, null);

    public boolean any() {
        return severity == null && rule == null && status == null;
    }
}
