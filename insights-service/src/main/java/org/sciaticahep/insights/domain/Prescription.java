package org.sciaticahep.insights.domain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.Range;
import org.sciaticahep.contracts.session.PrescribedItem;
import org.sciaticahep.contracts.session.PrescriptionVersion;

/**
 * A patient's prescription over time: its versions, each the whole plan from its {@code effectiveFrom} on, and which
 * one is in force on a day (the highest-numbered version that has started by then). What a past day expected never
 * changes with a template edit: only the patient's own versions count.
 */
public final class Prescription {

    /** An exercise of a version with its dosage; only an {@code expected} (ACTIVE) item counts towards adherence. */
    public record Item(String exerciseId, Dosage dosage, boolean expected) {

        public Item(String exerciseId, int sets, int minReps, boolean perSide) {
            this(exerciseId, sets, minReps, perSide, true);
        }

        public Item(String exerciseId, int sets, int minReps, boolean perSide, boolean expected) {
            this(exerciseId, new Dosage(sets, new Range(minReps, minReps), null, perSide), expected);
        }

        public int sets() {
            return dosage.sets();
        }

        public int minReps() {
            return dosage.reps().min();
        }

        public boolean perSide() {
            return Boolean.TRUE.equals(dosage.perSide());
        }

        /** The shortest hold that completes a repetition (0: any, or not held). */
        public int minHold() {
            return dosage.holdSeconds() == null ? 0 : dosage.holdSeconds().min();
        }

        /** Repetitions per side (or in all, when not per side) that complete one occurrence. */
        public int requiredReps() {
            return sets() * minReps();
        }
    }

    /** One version: so many times on each scheduled day, these items. */
    public record Version(int number, LocalDate effectiveFrom, int timesPerDay, Set<DayOfWeek> days, List<Item> items) {

        /** The item of the exercise; null when this version does not name it. */
        public Item item(String exerciseId) {
            // a loop, not a stream: called for each exercise of each day the progression rules look back on
            for (Item i : items) {
                if (i.exerciseId().equals(exerciseId)) {
                    return i;
                }
            }
            return null;
        }

        /** Whether its exercises are expected on {@code day} (a scheduled day of the week). */
        public boolean schedules(LocalDate day) {
            return days.contains(day.getDayOfWeek());
        }
    }

    private final NavigableMap<LocalDate, Version> timeline;
    private final List<String> exerciseIds;

    private Prescription(NavigableMap<LocalDate, Version> timeline, List<String> exerciseIds) {
        this.timeline = timeline;
        this.exerciseIds = exerciseIds;
    }

    /** From its versions, in any order: a newer version replaces the plan from its date on, also a later-dated older one. */
    public static Prescription of(List<Version> versions) {
        List<Version> byNumber = new ArrayList<>(versions);
        byNumber.sort(Comparator.comparingInt(Version::number));
        NavigableMap<LocalDate, Version> timeline = new TreeMap<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Version v : byNumber) {
            timeline.tailMap(v.effectiveFrom(), true).clear();
            timeline.put(v.effectiveFrom(), v);
        }
        timeline.values().forEach(v -> v.items().forEach(i -> ids.add(i.exerciseId())));
        return new Prescription(timeline, List.copyOf(ids));
    }

    /** From the versions session-service published. */
    public static Prescription fromPublished(List<PrescriptionVersion> published) {
        List<Version> versions = new ArrayList<>(published.size());
        for (PrescriptionVersion p : published) {
            List<Item> items = new ArrayList<>(p.items().size());
            for (PrescribedItem i : p.items()) {
                items.add(new Item(i.exerciseId(), i.dosage(), i.expected()));
            }
            versions.add(new Version(p.version(), p.effectiveFrom(), p.schedule().timesPerDay(),
                    Set.copyOf(p.schedule().daysOfWeek()), List.copyOf(items)));
        }
        return of(versions);
    }

    /**
     * Whether a version coming into force after {@code day} changes the exercise's item (its dosage or status, or
     * leaves it out); a version a newer one replaced does not count.
     */
    public boolean changesAfter(LocalDate day, String exerciseId) {
        Version v = inForce(day);
        Item now = v == null ? null : v.item(exerciseId);
        return timeline.tailMap(day, false).values().stream().anyMatch(later -> !java.util.Objects.equals(later.item(exerciseId), now));
    }

    /** The version in force on {@code day}; null before the first one. */
    public Version inForce(LocalDate day) {
        Map.Entry<LocalDate, Version> e = timeline.floorEntry(day);
        return e == null ? null : e.getValue();
    }

    /**
     * The item's last raise of dosage before or on {@code day}: when the level it has that day (sets, minimum
     * repetitions, shortest hold) came into force, and the dosage before it, if that level was lower
     * ({@link ProgressionRules#raised}); null when it was prescribed at this level, or lowered to it. Versions that
     * left the item out are passed over; pauses do not end the walk.
     */
    public Raise lastRaise(String exerciseId, LocalDate day) {
        Map.Entry<LocalDate, Version> at = timeline.floorEntry(day);
        Item now = at == null ? null : at.getValue().item(exerciseId);
        if (now == null) {
            return null;
        }
        LocalDate from = at.getKey();
        for (Map.Entry<LocalDate, Version> e = timeline.lowerEntry(at.getKey()); e != null; e = timeline.lowerEntry(e.getKey())) {
            Item before = e.getValue().item(exerciseId);
            if (before == null) {
                continue;
            }
            if (!ProgressionRules.sameLevel(before.dosage(), now.dosage())) {
                return ProgressionRules.raised(before.dosage(), now.dosage()) ? new Raise(from, before.dosage()) : null;
            }
            from = e.getKey();
        }
        return null;
    }

    /** A dosage raised on {@code from}, from {@code before}. */
    public record Raise(LocalDate from, Dosage before) {
    }

    /** Whether the version in force on {@code day} expects any exercise at all (not everything paused or stopped). */
    public boolean expectsAnything(LocalDate day) {
        Version v = inForce(day);
        return v != null && v.items().stream().anyMatch(Item::expected);
    }

    /** Whether exercise is on the schedule of the version in force on {@code day} (whatever its items' status). */
    public boolean schedules(LocalDate day) {
        Version v = inForce(day);
        return v != null && v.schedules(day);
    }

    /** Every exercise any version in force at some time names, in the order they first appear. */
    public List<String> exerciseIds() {
        return exerciseIds;
    }
}
