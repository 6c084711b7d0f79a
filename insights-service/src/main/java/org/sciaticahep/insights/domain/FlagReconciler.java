package org.sciaticahep.insights.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Turns a patient's rule occurrences into flags, given the flags that exist. Per (rule, subject): occurrences up
 * to a flag's resolution belong to that resolved flag; the ones after the last resolution belong to the one active
 * flag, raised when there is none. So new evidence attaches to an open flag, a condition that happens again after
 * resolution raises a new one, and the outcome depends on when things happened, not on when they arrived.
 */
public final class FlagReconciler {

    private FlagReconciler() {
    }

    /** What to store: flags to insert (raised), flags whose evidence changed, and open flags no evidence supports. */
    public record Changes(List<ReviewFlag> raised, List<ReviewFlag> updated, List<ReviewFlag> withdrawn) {
        public boolean isEmpty() {
            return raised.isEmpty() && updated.isEmpty() && withdrawn.isEmpty();
        }
    }

    public static Changes reconcile(String patientId, List<FlagRules.Occurrence> occurrences, List<ReviewFlag> existing,
                                    Instant now) {
        Map<String, List<FlagRules.Occurrence>> byKey = new LinkedHashMap<>();
        occurrences.stream()
                .sorted(Comparator.comparing(FlagRules.Occurrence::at).thenComparing(FlagRules.Occurrence::evidence))
                .forEach(o -> byKey.computeIfAbsent(key(o.rule(), o.subject()), k -> new ArrayList<>()).add(o));
        Map<String, List<ReviewFlag>> flagsByKey = new LinkedHashMap<>();
        for (ReviewFlag f : existing) {
            flagsByKey.computeIfAbsent(key(f.rule(), f.subject()), k -> new ArrayList<>()).add(f);
            byKey.putIfAbsent(key(f.rule(), f.subject()), new ArrayList<>());
        }
        List<ReviewFlag> raised = new ArrayList<>();
        List<ReviewFlag> updated = new ArrayList<>();
        List<ReviewFlag> withdrawn = new ArrayList<>();
        for (Map.Entry<String, List<FlagRules.Occurrence>> entry : byKey.entrySet()) {
            List<ReviewFlag> flags = flagsByKey.getOrDefault(entry.getKey(), List.of());
            List<ReviewFlag> resolved = flags.stream().filter(f -> !f.active())
                    .sorted(Comparator.comparing(ReviewFlag::resolvedAt)).toList();
            ReviewFlag active = flags.stream().filter(ReviewFlag::active).findFirst().orElse(null);
            List<FlagRules.Occurrence> remaining = new ArrayList<>(entry.getValue());
            for (ReviewFlag r : resolved) {
                List<FlagRules.Occurrence> mine = remaining.stream().filter(o -> !o.at().isAfter(r.resolvedAt())).toList();
                remaining.removeAll(mine);
                if (!mine.isEmpty() && !sameEvidence(r, mine)) {
                    updated.add(r.withEvidence(mine));
                }
            }
            if (!remaining.isEmpty()) {
                if (active == null) {
                    raised.add(raise(patientId, remaining, now));
                } else if (!sameEvidence(active, remaining)) {
                    updated.add(active.withEvidence(remaining));
                }
            } else if (active != null && active.status() == ReviewFlag.Status.OPEN) {
                withdrawn.add(active);
            }
        }
        return new Changes(raised, updated, withdrawn);
    }

    private static ReviewFlag raise(String patientId, List<FlagRules.Occurrence> occurrences, Instant now) {
        FlagRules.Occurrence first = occurrences.get(0);
        // random, not derived from the facts: an id must not be guessable from a patient id and a rule (flags outlive
        // a rebuild, so a replay does not need to give the same id)
        UUID id = UUID.randomUUID();
        ReviewFlag flag = new ReviewFlag(id, patientId, first.rule(), first.rule().severity(), first.subject(),
                ReviewFlag.Status.OPEN, first.at(), first.at(), List.of(), first.detail(), now, null, null, null, null, null, null);
        return flag.withEvidence(occurrences);
    }

    private static boolean sameEvidence(ReviewFlag flag, List<FlagRules.Occurrence> occurrences) {
        return flag.evidence().equals(occurrences.stream().map(FlagRules.Occurrence::evidence).toList())
                && Objects.equals(flag.detail(), occurrences.get(occurrences.size() - 1).detail());
    }

    private static String key(FlagRule rule, String subject) {
        return rule + "|" + subject;
    }
}
