package org.sciaticahep.insights.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A flag for clinician review: OPEN → ACKNOWLEDGED → RESOLVED, with who and when at each step. */
public record ReviewFlag(UUID flagId, String patientId, FlagRule rule, FlagRule.Severity severity, String subject,
                         Status status, Instant firstEvidenceAt, Instant lastEvidenceAt, List<String> evidence,
                         String detail, Instant raisedAt, String acknowledgedBy, Instant acknowledgedAt, String acknowledgementNote,
                         String resolvedBy, Instant resolvedAt, String resolutionNote) {

    public enum Status {
        OPEN,
        ACKNOWLEDGED,
        RESOLVED
    }

    public boolean active() {
        return status != Status.RESOLVED;
    }

    /** How many of a flag's latest occurrences it shows as evidence (first and last evidence times cover them all). */
    public static final int EVIDENCE_SHOWN = 20;

    /** The flag with these occurrences (in order) as its evidence, as severe as the most severe of them. */
    ReviewFlag withEvidence(List<FlagRules.Occurrence> occurrences) {
        FlagRules.Occurrence last = occurrences.get(occurrences.size() - 1);
        List<String> shown = occurrences.subList(Math.max(0, occurrences.size() - EVIDENCE_SHOWN), occurrences.size()).stream()
                .map(FlagRules.Occurrence::evidence).toList();
        FlagRule.Severity worst = occurrences.stream().map(FlagRules.Occurrence::severity)
                .min(java.util.Comparator.naturalOrder()).orElse(severity);
        return new ReviewFlag(flagId, patientId, rule, worst, subject, status, occurrences.get(0).at(), last.at(),
                shown, last.detail(), raisedAt,
                acknowledgedBy, acknowledgedAt, acknowledgementNote, resolvedBy, resolvedAt, resolutionNote);
    }
}
