package org.sciaticahep.session.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.catalog.Schedule;
import org.sciaticahep.contracts.session.ItemStatus;
import org.sciaticahep.contracts.session.PrescribedItem;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.support.DosageRules;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Violations;

/**
 * What the treating clinician may write into a patient's prescription, and which version is in force on a day.
 * Without a database or a clock: today (in the patient's time zone) and the catalog copy are given. Dosages and
 * schedules follow the catalog's own rules ({@link DosageRules}); the bounds are the contract's, so what is written
 * here is what every consumer of {@code session-events} accepts.
 */
public final class PrescriptionRules {

    static final int MAX_ITEMS = SessionEventContract.MAX_ITEMS;
    static final int MAX_REASON = SessionEventContract.MAX_REASON;
    /**
     * How far ahead a change may be planned: a day less than the contract allows from its event's UTC date, as east
     * of UTC that date may still be yesterday.
     */
    static final int MAX_DAYS_AHEAD = SessionEventContract.MAX_START_DAYS - 1;
    /** Versions of one enrollment's prescription: every read and write of it reads them all. */
    static final int MAX_VERSIONS = 200;

    private PrescriptionRules() {
    }

    /** A requested version, every bad field named. */
    static void check(PrescriptionRequest request, LocalDate today, CatalogCopy catalog, Violations v) {
        if (request == null) {
            v.add("body", "is required");
            return;
        }
        v.present(request.expectedVersion(), "expectedVersion");
        effectiveFrom(request.effectiveFrom(), today, v);
        if (v.present(request.schedule(), "schedule")) {
            DosageRules.schedule(request.schedule(), v.under("schedule"));
        }
        items(request.items(), catalog, v);
    }

    /** Optional; a change takes effect from today at the earliest: what a patient was asked to do stays as it was. */
    static void effectiveFrom(LocalDate effectiveFrom, LocalDate today, Violations v) {
        if (effectiveFrom != null) {
            v.check(!effectiveFrom.isBefore(today), "effectiveFrom",
                    "must not be before today (" + today + ") in the patient's time zone");
            v.check(!effectiveFrom.isAfter(today.plusDays(MAX_DAYS_AHEAD)), "effectiveFrom",
                    "must be within " + MAX_DAYS_AHEAD + " days of today");
        }
    }

    static void reason(String reason, Violations v) {
        if (reason != null) {
            v.check(reason.length() <= MAX_REASON, "reason", "must be at most " + MAX_REASON + " characters");
        }
    }

    private static void items(List<PrescriptionRequest.Item> items, CatalogCopy catalog, Violations v) {
        if (!v.present(items, "items")
                || !v.check(!items.isEmpty() && items.size() <= MAX_ITEMS, "items", "must hold 1 to " + MAX_ITEMS + " exercises")) {
            return;
        }
        Set<String> prescribed = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            PrescriptionRequest.Item item = items.get(i);
            if (item == null) {
                v.add("items[" + i + "]", "must be an exercise object");
                continue;
            }
            Violations at = v.under("items[" + i + "]");
            if (at.present(item.exerciseId(), "exerciseId")
                    && at.check(catalog.exercise(item.exerciseId()).isPresent(), "exerciseId", EventRules.unknownExercise(item.exerciseId()))) {
                at.check(prescribed.add(item.exerciseId()), "exerciseId", "is prescribed twice");
            }
            if (at.present(item.dosage(), "dosage")) {
                DosageRules.dosage(item.dosage(), at.under("dosage"));
            }
            if (at.present(item.status(), "status")) {
                at.check(status(item.status()).isPresent(), "status", "must be ACTIVE, PAUSED or STOPPED");
            }
            reason(item.reason(), at);
        }
    }

    /** A stale read must not overwrite what another clinician's write changed in between. */
    static void requireCurrent(PrescriptionVersion current, int expectedVersion) {
        if (current.version() != expectedVersion) {
            throw ProblemException.conflict("the prescription is at version " + current.version()
                    + ", not the expectedVersion; read it again and write on the current version");
        }
    }

    /**
     * A whole version from {@code effectiveFrom} on replaces every version scheduled after that day (see
     * {@link #scheduled}), so it is written only when the clinician says so ({@code replaceScheduled}). Before the
     * first version's day nothing is in force, so writing on it from earlier replaces nothing of the plan.
     */
    static void requireNothingScheduled(List<PrescriptionVersion> versions, LocalDate effectiveFrom, Boolean replaceScheduled) {
        if (Boolean.TRUE.equals(replaceScheduled)) {
            return;
        }
        List<PrescriptionVersion> later = scheduled(versions, inForceFrom(versions, effectiveFrom));
        if (!later.isEmpty()) {
            PrescriptionVersion first = later.get(0);
            throw ProblemException.conflict("version " + first.version() + " is scheduled from " + first.effectiveFrom()
                    + ": a version from " + effectiveFrom + " would replace it; send \"replaceScheduled\": true to replace"
                    + " the plan from then on (pausing, resuming or stopping an exercise keeps it)");
        }
    }

    /** A write that would take the prescription past {@link #MAX_VERSIONS}, counted on the versions read under the lock. */
    static void requireRoom(int stored, int adding) {
        if (stored + adding > MAX_VERSIONS) {
            String has = "this prescription has " + stored + " versions";
            throw ProblemException.conflict((stored < MAX_VERSIONS
                    ? has + " and this change needs " + adding + " more, of at most " + MAX_VERSIONS
                    : has) + ": end the enrollment and enroll the patient again");
        }
    }

    /** The requested version (checked) after the current one, on the same program version. */
    static PrescriptionVersion next(PrescriptionVersion current, PrescriptionRequest request, LocalDate today) {
        List<PrescribedItem> items = request.items().stream()
                .map(i -> new PrescribedItem(i.exerciseId(), i.dosage(), status(i.status()).orElseThrow(), i.reason()))
                .toList();
        return following(current, request.effectiveFrom() == null ? today : request.effectiveFrom(), request.schedule(), items);
    }

    /**
     * One exercise paused, resumed or stopped (for the given reason; null: none) from {@code effectiveFrom} on, as
     * the versions to write, the first the answer: the version in force that day with the change (404 when the
     * exercise is not in it, 409 when its status does not allow the change), then again each version scheduled after
     * that day, with the same pause or stop where its status allows it (else as it was; a resume is not carried). The new versions are numbered
     * above every stored one, so the first would otherwise replace the scheduled ones: what was planned from a later
     * day stays planned. Before the first version's day nothing is in force: the change takes effect with it.
     */
    static List<PrescriptionVersion> withItemChanged(List<PrescriptionVersion> versions, String exerciseId, ItemChange change,
                                                     String reason, LocalDate effectiveFrom) {
        LocalDate from = inForceFrom(versions, effectiveFrom);
        PrescriptionVersion base = inForce(versions, from).orElseThrow();
        List<PrescriptionVersion> next = new ArrayList<>();
        next.add(following(newest(versions), from, base.schedule(), withItem(base, exerciseId, change, reason, true)));
        for (PrescriptionVersion later : scheduled(versions, from)) {
            // pausing and stopping carry forward (the safe direction); a resume ends today's pause only, and a pause
            // the clinician planned for later stays planned
            next.add(following(next.get(next.size() - 1), later.effectiveFrom(), later.schedule(),
                    change == ItemChange.RESUME ? later.items() : withItem(later, exerciseId, change, reason, false)));
        }
        return next;
    }

    /** The items of {@code version} with the exercise changed; where the change is not {@code required}, only if it can be. */
    private static List<PrescribedItem> withItem(PrescriptionVersion version, String exerciseId, ItemChange change, String reason,
                                                 boolean required) {
        List<PrescribedItem> items = new ArrayList<>(version.items());
        int i = 0;
        while (i < items.size() && !items.get(i).exerciseId().equals(exerciseId)) {
            i++;
        }
        if (i == items.size()) {
            if (required) {
                throw ProblemException.notFound("this exercise is not in the patient's prescription in force on that day");
            }
            return version.items();
        }
        PrescribedItem item = items.get(i);
        if (!required && allowed(item.status(), change).isEmpty()) {
            return version.items();
        }
        items.set(i, new PrescribedItem(item.exerciseId(), item.dosage(), after(item.status(), change), reason));
        return List.copyOf(items);
    }

    /** Paused exercises resume, and a stopped one stays stopped: prescribing it again is a new version by PUT. */
    static ItemStatus after(ItemStatus from, ItemChange change) {
        return allowed(from, change).orElseThrow(() -> ProblemException.conflict("the exercise is " + from + "; " + switch (change) {
            case PAUSE -> "only an ACTIVE exercise can be paused";
            case RESUME -> "only a PAUSED exercise can be resumed";
            case STOP -> "only an ACTIVE or PAUSED exercise can be stopped";
        }));
    }

    private static Optional<ItemStatus> allowed(ItemStatus from, ItemChange change) {
        return Optional.ofNullable(switch (change) {
            case PAUSE -> from == ItemStatus.ACTIVE ? ItemStatus.PAUSED : null;
            case RESUME -> from == ItemStatus.PAUSED ? ItemStatus.ACTIVE : null;
            case STOP -> from == ItemStatus.ACTIVE || from == ItemStatus.PAUSED ? ItemStatus.STOPPED : null;
        });
    }

    /**
     * The version in force on a day: the highest-numbered whose effectiveFrom is on or before it, so a newer version
     * replaces the plan from its date on, also a version an older one had planned for later. Empty before the first.
     */
    public static Optional<PrescriptionVersion> inForce(List<PrescriptionVersion> versions, LocalDate day) {
        return versions.stream()
                .filter(v -> !v.effectiveFrom().isAfter(day))
                .max(Comparator.comparingInt(PrescriptionVersion::version));
    }

    /**
     * The versions dated after {@code day} that will come into force, by date: each is in force from its own day on,
     * unless a higher-numbered version dated on or before that day has replaced it.
     */
    static List<PrescriptionVersion> scheduled(List<PrescriptionVersion> versions, LocalDate day) {
        return versions.stream()
                .filter(v -> v.effectiveFrom().isAfter(day) && inForce(versions, v.effectiveFrom()).orElseThrow().version() == v.version())
                .sorted(Comparator.comparing(PrescriptionVersion::effectiveFrom))
                .toList();
    }

    /** {@code day}, or when nothing is in force yet that day, the first day a version is. */
    private static LocalDate inForceFrom(List<PrescriptionVersion> versions, LocalDate day) {
        return inForce(versions, day).isPresent() ? day
                : versions.stream().map(PrescriptionVersion::effectiveFrom).min(Comparator.naturalOrder()).orElseThrow();
    }

    static PrescriptionVersion newest(List<PrescriptionVersion> versions) {
        return versions.stream().max(Comparator.comparingInt(PrescriptionVersion::version)).orElseThrow();
    }

    /** The version after {@code current}, on the same program version. */
    private static PrescriptionVersion following(PrescriptionVersion current, LocalDate effectiveFrom,
                                                 Schedule schedule, List<PrescribedItem> items) {
        return new PrescriptionVersion(current.version() + 1, effectiveFrom, current.programId(), current.programVersion(),
                schedule, items);
    }

    private static Optional<ItemStatus> status(String name) {
        for (ItemStatus s : ItemStatus.values()) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
