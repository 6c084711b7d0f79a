package org.sciaticahep.insights.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Turns a scope's occurrences, derived again, into changes of the patient's flags. Per (rule, subject), an
 * occurrence is evidence of the first flag resolved at or after it; otherwise of the one active flag, raised when
 * there is none. So new evidence attaches to an open flag, a condition that happens again after a resolution raises a
 * new one, and the outcome depends on when things happened, not on when they arrived. Only the scope's occurrences are
 * compared with what is stored of the same scope: the work grows with the scope, not with the patient's history.
 */
public final class FlagReconciler {

    private FlagReconciler() {
    }

    /** An occurrence as stored: the flag it is evidence of. */
    public record Owned(FlagRules.Occurrence occurrence, UUID flagId) {
    }

    /**
     * What to store: flags to insert (raised), occurrences to write (new, changed or moved to another flag) and to
     * remove, flags whose evidence summary must be refreshed, and flags that may have no evidence left (withdrawn if
     * open; an acknowledged quiet-spell flag is resolved: the spell is over).
     */
    public record Changes(List<ReviewFlag> raised, List<Owned> written, List<Owned> removed, Set<UUID> refreshed,
                          Set<UUID> mayBeWithdrawn) {
        public boolean isEmpty() {
            return raised.isEmpty() && written.isEmpty() && removed.isEmpty() && mayBeWithdrawn.isEmpty();
        }
    }

    /**
     * @param computed   the scope's occurrences, derived again
     * @param stored     what is stored of the same scope
     * @param flags      the patient's active flags and every flag resolved at or after the earliest occurrence of either
     *                   list (an earlier resolution cannot own any of them)
     * @param everything the scope is the whole history: every open flag without evidence is withdrawn
     */
    public static Changes reconcile(String patientId, List<FlagRules.Occurrence> computed, List<Owned> stored,
                                    List<ReviewFlag> flags, boolean everything, Instant now) {
        Map<String, List<ReviewFlag>> resolvedByKey = new HashMap<>();
        Map<String, ReviewFlag> activeByKey = new HashMap<>();
        for (ReviewFlag f : flags) {
            if (f.active()) {
                activeByKey.put(key(f), f);
            } else {
                resolvedByKey.computeIfAbsent(key(f), k -> new ArrayList<>()).add(f);
            }
        }
        resolvedByKey.values().forEach(list -> list.sort(Comparator.comparing(ReviewFlag::resolvedAt)));
        Map<String, Owned> before = new HashMap<>();
        stored.forEach(o -> before.put(o.occurrence().identity(), o));

        Map<String, List<FlagRules.Occurrence>> unowned = new LinkedHashMap<>();
        List<Owned> written = new ArrayList<>();
        Set<UUID> refreshed = new HashSet<>();
        Set<UUID> lost = new HashSet<>();
        List<FlagRules.Occurrence> sorted = new ArrayList<>(computed);
        sorted.sort(Comparator.comparing(FlagRules.Occurrence::at).thenComparing(FlagRules.Occurrence::evidence));
        for (FlagRules.Occurrence o : sorted) {
            UUID owner = owner(o, resolvedByKey.getOrDefault(o.key(), List.of()), activeByKey.get(o.key()));
            Owned previous = before.remove(o.identity());
            if (owner == null) {
                unowned.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o);
            } else if (previous == null || !previous.flagId().equals(owner) || !same(previous.occurrence(), o)) {
                written.add(new Owned(o, owner));
                refreshed.add(owner);
            }
            if (previous != null && !previous.flagId().equals(owner)) {
                refreshed.add(previous.flagId());
                lost.add(previous.flagId());
            }
        }
        List<Owned> removed = new ArrayList<>(before.values());
        for (Owned gone : removed) {
            refreshed.add(gone.flagId());
            lost.add(gone.flagId());
        }
        List<ReviewFlag> raised = new ArrayList<>();
        for (List<FlagRules.Occurrence> occurrences : unowned.values()) {
            ReviewFlag flag = raise(patientId, occurrences, now);
            raised.add(flag);
            occurrences.forEach(o -> written.add(new Owned(o, flag.flagId())));
        }
        Set<UUID> mayBeWithdrawn = new HashSet<>();
        for (ReviewFlag f : activeByKey.values()) {
            boolean closes = f.status() == ReviewFlag.Status.OPEN || f.rule().family() == FlagRule.Family.ACTIVITY;
            if (closes && (everything || lost.contains(f.flagId()))) {
                mayBeWithdrawn.add(f.flagId());
            }
        }
        return new Changes(raised, written, removed, refreshed, mayBeWithdrawn);
    }

    /**
     * The first flag resolved at or after the occurrence and at least as severe (a resolution covers what the
     * clinician saw: a quiet spell that grew longer after it raises a new flag), else the active one; null when a flag
     * must be raised.
     */
    private static UUID owner(FlagRules.Occurrence o, List<ReviewFlag> resolvedInOrder, ReviewFlag active) {
        for (ReviewFlag r : resolvedInOrder) {
            if (!o.at().isAfter(r.resolvedAt()) && o.severity().compareTo(r.severity()) >= 0) {
                return r.flagId();
            }
        }
        return active == null ? null : active.flagId();
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

    private static boolean same(FlagRules.Occurrence a, FlagRules.Occurrence b) {
        return a.at().equals(b.at()) && Objects.equals(a.detail(), b.detail()) && a.day().equals(b.day())
                && a.severity() == b.severity();
    }

    private static String key(ReviewFlag f) {
        return f.rule() + "|" + f.subject();
    }
}
