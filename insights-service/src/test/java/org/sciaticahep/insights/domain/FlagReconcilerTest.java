package org.sciaticahep.insights.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sciaticahep.insights.domain.DomainFixtures.BERLIN;
import static org.sciaticahep.insights.domain.DomainFixtures.KNEE;
import static org.sciaticahep.insights.domain.DomainFixtures.PATIENT;
import static org.sciaticahep.insights.domain.DomainFixtures.day;
import static org.sciaticahep.insights.domain.DomainFixtures.dayNumber;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reconciling scope by scope, as live events do, ends where reconciling everything at once does; occurrences belong
 * to the first flag resolved at or after them, else to the active flag; only an OPEN flag that lost evidence may be
 * withdrawn. The store is simulated: occurrences by identity, and the flags (a withdrawn flag is deleted).
 */
class FlagReconcilerTest {

    private static final Instant NOW = Instant.parse("2027-02-01T12:00:00Z");
    private static final Instant T = Instant.parse("2026-11-10T12:00:00Z");
    private static final String SEVERE_KEY = "SEVERE_PAIN|BUTTOCK";

    // ---------------------------------------------------------------------------------------------------------------
    // ownership

    /**
     * One SEVERE_PAIN occurrence against the flags of its key: R1 resolved at T - 1 day, R2 resolved at T, A active
     * (OPEN). "new" = a flag is raised for it.
     */
    static Stream<Arguments> owners() {
        return Stream.of(
                Arguments.of("before R2's resolution, R2 only", "R2", Duration.ofHours(-1), "R2"),
                Arguments.of("exactly at R2's resolution", "R2", Duration.ZERO, "R2"),
                Arguments.of("1 ns after R2's resolution, no active flag", "R2", Duration.ofNanos(1), "new"),
                Arguments.of("a day after R2's resolution, no active flag", "R2", Duration.ofDays(1), "new"),
                Arguments.of("after R2's resolution, A active", "R2 A", Duration.ofHours(1), "A"),
                Arguments.of("before R2's resolution, A active", "R2 A", Duration.ofHours(-1), "R2"),
                Arguments.of("before R1's resolution: the first resolved at or after it", "R2 R1 A", Duration.ofDays(-2), "R1"),
                Arguments.of("between R1's and R2's resolutions", "R1 R2 A", Duration.ofHours(-23), "R2"),
                Arguments.of("exactly at R1's resolution", "R2 R1", Duration.ofDays(-1), "R1"),
                Arguments.of("no flag at all", "", Duration.ZERO, "new"),
                Arguments.of("A ACKNOWLEDGED is still the active flag", "R2 Aack", Duration.ofHours(1), "Aack"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("owners")
    void anOccurrenceBelongsToTheFirstFlagResolvedAtOrAfterItElseToTheActiveOne(String what, String flagNames,
                                                                               Duration fromT, String expectedOwner) {
        Map<String, ReviewFlag> flags = new LinkedHashMap<>();
        for (String name : flagNames.split(" ")) {
            switch (name) {
                case "R1" -> flags.put(name, flag(FlagRule.SEVERE_PAIN, "BUTTOCK", ReviewFlag.Status.RESOLVED, T.minus(Duration.ofDays(1))));
                case "R2" -> flags.put(name, flag(FlagRule.SEVERE_PAIN, "BUTTOCK", ReviewFlag.Status.RESOLVED, T));
                case "A" -> flags.put(name, flag(FlagRule.SEVERE_PAIN, "BUTTOCK", ReviewFlag.Status.OPEN, null));
                case "Aack" -> flags.put(name, flag(FlagRule.SEVERE_PAIN, "BUTTOCK", ReviewFlag.Status.ACKNOWLEDGED, null));
                case "" -> { }
                default -> throw new IllegalArgumentException(name);
            }
        }
        // an active flag of another key must not matter
        ReviewFlag other = flag(FlagRule.SEVERE_PAIN, "CALF", ReviewFlag.Status.OPEN, null);
        List<ReviewFlag> all = new ArrayList<>(flags.values());
        all.add(other);
        FlagRules.Occurrence o = severe(T.plus(fromT), "e-1", "Score 8");

        FlagReconciler.Changes c = FlagReconciler.reconcile(PATIENT, List.of(o), List.of(), all, false, NOW);

        assertEquals(1, c.written().size(), what);
        assertEquals(o, c.written().get(0).occurrence());
        assertEquals(List.of(), c.removed());
        assertEquals(Set.of(), c.mayBeWithdrawn());
        if (expectedOwner.equals("new")) {
            assertEquals(1, c.raised().size(), what + ": a flag is raised");
            ReviewFlag raised = c.raised().get(0);
            assertEquals(raised.flagId(), c.written().get(0).flagId());
            assertFalse(all.stream().anyMatch(f -> f.flagId().equals(raised.flagId())), "a new id");
        } else {
            assertEquals(List.of(), c.raised(), what);
            assertEquals(flags.get(expectedOwner).flagId(), c.written().get(0).flagId(), what + ": owned by " + expectedOwner);
            assertEquals(Set.of(flags.get(expectedOwner).flagId()), c.refreshed());
        }
    }

    /** A flag is as severe as its most severe occurrence; a stored one whose severity changed is refreshed. */
    @Test
    void aQuietSpellsFlagTakesItsMostSevereOccurrence() {
        FlagRules.Occurrence low = new FlagRules.Occurrence(FlagRule.NO_RECENT_ACTIVITY, "", day(3), T, "3 quiet days from d1",
                "No exercise or pain report for 14 days", FlagRule.Severity.LOW);
        FlagRules.Occurrence medium = new FlagRules.Occurrence(FlagRule.NO_RECENT_ACTIVITY, "", day(14), T.plusSeconds(3600),
                "14 quiet days from d1", "No exercise or pain report for 14 days", FlagRule.Severity.MEDIUM);

        FlagReconciler.Changes both = FlagReconciler.reconcile(PATIENT, List.of(medium, low), List.of(), List.of(), false, NOW);
        assertEquals(FlagRule.Severity.MEDIUM, both.raised().get(0).severity());
        assertEquals(FlagRule.Severity.LOW, FlagReconciler.reconcile(PATIENT, List.of(low), List.of(), List.of(), false, NOW)
                .raised().get(0).severity());

        // stored LOW, now MEDIUM evidence too: the open flag gets it and is refreshed (its severity follows in the store)
        ReviewFlag open = flag(FlagRule.NO_RECENT_ACTIVITY, "", ReviewFlag.Status.OPEN, null);
        FlagReconciler.Changes raisedLevel = FlagReconciler.reconcile(PATIENT, List.of(low, medium),
                List.of(new FlagReconciler.Owned(low, open.flagId())), List.of(open), false, NOW);
        assertEquals(List.of(), raisedLevel.raised(), "one flag");
        assertEquals(List.of(new FlagReconciler.Owned(medium, open.flagId())), raisedLevel.written());
        assertEquals(Set.of(open.flagId()), raisedLevel.refreshed());

        // the same occurrence at another severity is a change
        FlagRules.Occurrence lowered = new FlagRules.Occurrence(medium.rule(), medium.subject(), medium.day(), medium.at(),
                medium.evidence(), medium.detail(), FlagRule.Severity.LOW);
        assertEquals(List.of(new FlagReconciler.Owned(lowered, open.flagId())), FlagReconciler.reconcile(PATIENT, List.of(lowered),
                List.of(new FlagReconciler.Owned(medium, open.flagId())), List.of(open), false, NOW).written());
    }

    /** A resolution covers what the clinician saw: a spell that grew more severe after it raises a new flag. */
    @Test
    void aResolvedFlagDoesNotTakeMoreSevereEvidence() {
        ReviewFlag resolvedLow = flag(FlagRule.NO_RECENT_ACTIVITY, "", ReviewFlag.Status.RESOLVED, T.plusSeconds(7200));
        FlagRules.Occurrence low = new FlagRules.Occurrence(FlagRule.NO_RECENT_ACTIVITY, "", day(3), T, "3 quiet days from d1", "x",
                FlagRule.Severity.LOW);
        FlagRules.Occurrence medium = new FlagRules.Occurrence(FlagRule.NO_RECENT_ACTIVITY, "", day(14), T.plusSeconds(3600),
                "14 quiet days from d1", "x", FlagRule.Severity.MEDIUM);
        FlagReconciler.Changes c = FlagReconciler.reconcile(PATIENT, List.of(low, medium), List.of(), List.of(resolvedLow), false, NOW);
        assertEquals(List.of(new FlagReconciler.Owned(low, resolvedLow.flagId())),
                c.written().stream().filter(o -> o.occurrence().equals(low)).toList(), "what it saw stays its evidence");
        assertEquals(1, c.raised().size());
        assertEquals(FlagRule.Severity.MEDIUM, c.raised().get(0).severity(), "the longer spell is a new flag");
    }

    /** A quiet spell that is over closes its flag even once acknowledged; other acknowledged flags stay as they are. */
    @Test
    void anAcknowledgedQuietFlagWithoutEvidenceMayBeClosed() {
        FlagRules.Occurrence low = new FlagRules.Occurrence(FlagRule.NO_RECENT_ACTIVITY, "", day(3), T, "3 quiet days from d1", "x",
                FlagRule.Severity.LOW);
        ReviewFlag quiet = flag(FlagRule.NO_RECENT_ACTIVITY, "", ReviewFlag.Status.ACKNOWLEDGED, null);
        ReviewFlag severe = flag(FlagRule.SEVERE_PAIN, "BUTTOCK", ReviewFlag.Status.ACKNOWLEDGED, null);
        FlagRules.Occurrence severeOne = severe(T, "e-1", "Score 8");
        FlagReconciler.Changes c = FlagReconciler.reconcile(PATIENT, List.of(),
                List.of(new FlagReconciler.Owned(low, quiet.flagId()), new FlagReconciler.Owned(severeOne, severe.flagId())),
                List.of(quiet, severe), false, NOW);
        assertEquals(Set.of(quiet.flagId()), c.mayBeWithdrawn());
    }

    @Test
    void aRaisedFlagCarriesItsOccurrencesInTimeOrder() {
        FlagRules.Occurrence first = severe(T, "e-b", "Score 7");
        FlagRules.Occurrence sameInstant = severe(T, "e-a", "Score 9");
        FlagRules.Occurrence last = severe(T.plusSeconds(60), "e-0", "Score 8");
        FlagRules.Occurrence otherKey = new FlagRules.Occurrence(FlagRule.RED_FLAG_SYMPTOMS, "", day(8), T, "e-r", "Reported [LEG_WEAKNESS]");

        FlagReconciler.Changes c = FlagReconciler.reconcile(PATIENT, List.of(last, otherKey, first, sameInstant), List.of(), List.of(), false, NOW);

        assertEquals(2, c.raised().size());
        ReviewFlag severe = c.raised().stream().filter(f -> f.rule() == FlagRule.SEVERE_PAIN).findFirst().orElseThrow();
        assertEquals(ReviewFlag.Status.OPEN, severe.status());
        assertEquals(FlagRule.Severity.HIGH, severe.severity());
        assertEquals(PATIENT, severe.patientId());
        assertEquals("BUTTOCK", severe.subject());
        assertEquals(List.of("e-a", "e-b", "e-0"), severe.evidence(), "by instant, then by evidence");
        assertEquals(T, severe.firstEvidenceAt());
        assertEquals(T.plusSeconds(60), severe.lastEvidenceAt());
        assertEquals("Score 8", severe.detail(), "the latest occurrence's detail");
        assertEquals(NOW, severe.raisedAt());
        ReviewFlag red = c.raised().stream().filter(f -> f.rule() == FlagRule.RED_FLAG_SYMPTOMS).findFirst().orElseThrow();
        assertEquals(FlagRule.Severity.CRITICAL, red.severity());
        assertEquals(List.of("e-r"), red.evidence());
        assertEquals(4, c.written().size());
        assertEquals(Set.of(severe.flagId(), red.flagId()), c.written().stream().map(FlagReconciler.Owned::flagId).collect(Collectors.toSet()));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // withdrawal

    @ParameterizedTest(name = "{0}, everything = {1}")
    @MethodSource("withdrawals")
    void onlyAnOpenFlagThatLostEvidenceMayBeWithdrawn(ReviewFlag.Status status, boolean everything, boolean lostItsOccurrence,
                                                      boolean mayBeWithdrawn) {
        ReviewFlag f = flag(FlagRule.SEVERE_PAIN, "BUTTOCK", status, status == ReviewFlag.Status.RESOLVED ? T : null);
        FlagRules.Occurrence o = severe(T.minusSeconds(60), "e-1", "Score 8");
        List<FlagReconciler.Owned> stored = lostItsOccurrence ? List.of(new FlagReconciler.Owned(o, f.flagId())) : List.of();

        FlagReconciler.Changes c = FlagReconciler.reconcile(PATIENT, List.of(), stored, List.of(f), everything, NOW);

        assertEquals(stored, c.removed());
        assertEquals(List.of(), c.written());
        assertEquals(List.of(), c.raised());
        assertEquals(mayBeWithdrawn ? Set.of(f.flagId()) : Set.of(), c.mayBeWithdrawn());
        assertEquals(lostItsOccurrence ? Set.of(f.flagId()) : Set.of(), c.refreshed());
    }

    static Stream<Arguments> withdrawals() {
        return Stream.of(
                // status | everything | lost its (last) occurrence | may be withdrawn
                Arguments.of(ReviewFlag.Status.OPEN, false, true, true),
                Arguments.of(ReviewFlag.Status.ACKNOWLEDGED, false, true, false),
                Arguments.of(ReviewFlag.Status.RESOLVED, false, true, false),
                Arguments.of(ReviewFlag.Status.OPEN, false, false, false),
                Arguments.of(ReviewFlag.Status.OPEN, true, false, true),
                Arguments.of(ReviewFlag.Status.ACKNOWLEDGED, true, false, false),
                Arguments.of(ReviewFlag.Status.OPEN, true, true, true),
                Arguments.of(ReviewFlag.Status.ACKNOWLEDGED, true, true, false));
    }

    @Test
    void anOccurrenceMovesToTheFlagResolvedAfterIt() {
        ReviewFlag resolved = flag(FlagRule.SEVERE_PAIN, "BUTTOCK", ReviewFlag.Status.RESOLVED, T);
        ReviewFlag open = flag(FlagRule.SEVERE_PAIN, "BUTTOCK", ReviewFlag.Status.OPEN, null);
        FlagRules.Occurrence wasLater = severe(T.plusSeconds(60), "e-1", "Score 8");
        FlagRules.Occurrence nowEarlier = severe(T.minusSeconds(60), "e-1", "Score 8"); // the same identity, an earlier instant

        FlagReconciler.Changes c = FlagReconciler.reconcile(PATIENT, List.of(nowEarlier),
                List.of(new FlagReconciler.Owned(wasLater, open.flagId())), List.of(resolved, open), false, NOW);

        assertEquals(List.of(new FlagReconciler.Owned(nowEarlier, resolved.flagId())), c.written());
        assertEquals(List.of(), c.removed(), "moved, not removed: the row is rewritten");
        assertEquals(Set.of(resolved.flagId(), open.flagId()), c.refreshed());
        assertEquals(Set.of(open.flagId()), c.mayBeWithdrawn(), "the open flag lost its only occurrence");
    }

    @Test
    void anUnchangedOccurrenceIsNotWrittenAgainAndAChangedOneIs() {
        ReviewFlag open = flag(FlagRule.SEVERE_PAIN, "BUTTOCK", ReviewFlag.Status.OPEN, null);
        FlagRules.Occurrence o = severe(T, "e-1", "Score 8");
        List<FlagReconciler.Owned> stored = List.of(new FlagReconciler.Owned(o, open.flagId()));

        FlagReconciler.Changes same = FlagReconciler.reconcile(PATIENT, List.of(o), stored, List.of(open), false, NOW);
        assertTrue(same.isEmpty());
        assertEquals(Set.of(), same.refreshed());

        FlagRules.Occurrence changed = severe(T, "e-1", "Score 9");
        FlagReconciler.Changes detail = FlagReconciler.reconcile(PATIENT, List.of(changed), stored, List.of(open), false, NOW);
        assertEquals(List.of(new FlagReconciler.Owned(changed, open.flagId())), detail.written());
        assertEquals(Set.of(open.flagId()), detail.refreshed());
        assertEquals(Set.of(), detail.mayBeWithdrawn());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // incremental = full

    /**
     * A patient's occurrences over 60 days change as live events would (a pain report on day D changes the report
     * rules of D and the pain-trend rules of D..D+6, an exercise the adherence of D..D+6, time passing the period rules
     * of the new days; some events are late); after each change the scope is reconciled with the store. In the end the
     * flags and what they own are those of one reconciliation of everything from empty.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void scopeByScopeEqualsEverythingAtOnce(long seed) {
        Simulation sim = new Simulation(seed, false);
        sim.run();
        assertTrue(sim.store.rows.size() > 100, "the simulation made enough occurrences: " + sim.store.rows.size());
        assertTrue(sim.store.withdrawn > 0, "seed " + seed + " withdrew some flag on the way");

        FlagReconciler.Changes full = FlagReconciler.reconcile(PATIENT, sim.truthList(), List.of(), List.of(), true, NOW);
        Set<String> expected = new TreeSet<>();
        for (ReviewFlag f : full.raised()) {
            expected.add(owned(f, full.written().stream().filter(o -> o.flagId().equals(f.flagId())).toList()));
        }
        assertEquals(expected, sim.store.summary(), "seed " + seed + ": (flag key, owned identities) scope by scope vs everything");
        assertEquals(Set.copyOf(sim.truthList()), sim.store.occurrences(), "the stored occurrences are the current ones");
        assertTrue(sim.store.flags.values().stream().allMatch(f -> f.status() == ReviewFlag.Status.OPEN));
    }

    /**
     * The same with clinicians acknowledging and resolving flags on the way: what was reconciled scope by scope is
     * what reconciling everything against the final store finds (nothing to raise, write, remove or withdraw).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})
    void scopeByScopeWithReviewsIsWhatEverythingFinds(long seed) {
        Simulation sim = new Simulation(seed, true);
        sim.run();
        assertTrue(sim.resolutions > 0, "seed " + seed + " resolved some flag");
        assertTrue(sim.store.ownedByResolved > 0, "seed " + seed + " attached a late occurrence to a resolved flag");

        FlagReconciler.Changes full = FlagReconciler.reconcile(PATIENT, sim.truthList(), sim.store.of(Scope.EVERYTHING),
                List.copyOf(sim.store.flags.values()), true, NOW);
        assertEquals(List.of(), full.raised(), "seed " + seed + ": nothing to raise");
        assertEquals(List.of(), full.written(), "seed " + seed + ": nothing to write");
        assertEquals(List.of(), full.removed(), "seed " + seed + ": nothing to remove");
        assertEquals(Set.of(), full.refreshed(), "seed " + seed + ": nothing to refresh");
        for (UUID id : full.mayBeWithdrawn()) {
            assertTrue(sim.store.owns(id), "seed " + seed + ": an open flag without evidence was left: " + sim.store.flags.get(id));
        }
        assertEquals(Set.copyOf(sim.truthList()), sim.store.occurrences());
    }

    /** A patient's current occurrences, changed only within the scope of each event. */
    private static final class Simulation {
        private static final int HORIZON = 60;
        private static final String[][] REPORT_KEYS = {
                {"SEVERE_PAIN", "BUTTOCK"}, {"SEVERE_PAIN", "CALF"}, {"EXERCISE_WORSENS_PAIN", KNEE}, {"NEW_PAIN", "THIGH/LEFT"}};

        final Random rnd;
        final boolean reviews;
        final Map<String, FlagRules.Occurrence> truth = new HashMap<>();
        final Store store = new Store();
        int today;
        int hourOfDay;
        int step;
        int resolutions;

        Simulation(long seed, boolean reviews) {
            this.rnd = new Random(seed);
            this.reviews = reviews;
        }

        void run() {
            while (today < HORIZON) {
                step++;
                hourOfDay = Math.min(23, hourOfDay + 1 + rnd.nextInt(4));
                if (rnd.nextDouble() < 0.25) {
                    int yesterday = today++;
                    hourOfDay = 0;
                    if (rnd.nextBoolean()) {
                        apply(Scope.periods(day(yesterday), day(today)));
                    }
                }
                LocalDate d = day(Math.max(0, today - (rnd.nextDouble() < 0.8 ? 0 : rnd.nextInt(11))));
                apply(switch (rnd.nextInt(5)) {
                    case 0, 1 -> new Scope.Builder().pain(d).build();
                    case 2 -> new Scope.Builder().exercise(d).build();
                    case 3 -> new Scope.Builder().reportsOf(d).build();
                    default -> new Scope.Builder().pain(d).exercise(day(Math.max(0, today - rnd.nextInt(5))))
                            .reportsOf(day(Math.max(0, today - rnd.nextInt(20)))).build();
                });
                if (reviews) {
                    review();
                }
            }
        }

        /** Some time into today; every step a little later. */
        Instant now() {
            return day(today).atStartOfDay(BERLIN).toInstant().plusSeconds(3600L * hourOfDay + step);
        }

        List<FlagRules.Occurrence> truthList() {
            return List.copyOf(truth.values());
        }

        /** The occurrences of the scope's days up to today change; then the scope is reconciled, and again (a no-op). */
        void apply(Scope scope) {
            for (LocalDate d : scope.reportDays()) {
                if (dayNumber(d) <= today) {
                    changeReports(d);
                }
            }
            if (scope.trendFrom() != null) {
                for (LocalDate d = scope.trendFrom(); !d.isAfter(scope.trendTo()) && dayNumber(d) <= today; d = d.plusDays(1)) {
                    changeCell(FlagRule.PAIN_TRENDING_WORSE, d);
                    changeCell(FlagRule.NOT_IMPROVING, d);
                }
            }
            if (scope.adherenceFrom() != null) {
                for (LocalDate d = scope.adherenceFrom(); !d.isAfter(scope.adherenceTo()) && dayNumber(d) <= today; d = d.plusDays(1)) {
                    changeCell(FlagRule.LOW_ADHERENCE, d);
                }
            }
            store.reconcile(scope, truthList(), now());
            FlagReconciler.Changes again = store.changes(scope, truthList(), now());
            assertTrue(again.isEmpty() && again.refreshed().isEmpty(), "step " + step + ": the same scope again changes nothing: " + again);
        }

        private void changeReports(LocalDate d) {
            for (FlagRules.Occurrence o : List.copyOf(truth.values())) {
                if (o.rule().family() == FlagRule.Family.REPORT && o.day().equals(d)) {
                    double r = rnd.nextDouble();
                    if (r < 0.15) {
                        truth.remove(o.identity());
                    } else if (r < 0.35) {
                        truth.put(o.identity(), new FlagRules.Occurrence(o.rule(), o.subject(), d, instantOn(d), o.evidence(), "v" + rnd.nextInt(3)));
                    }
                }
            }
            for (int i = rnd.nextInt(3); i > 0; i--) {
                String[] key = REPORT_KEYS[rnd.nextInt(REPORT_KEYS.length)];
                FlagRules.Occurrence o = new FlagRules.Occurrence(FlagRule.valueOf(key[0]), key[1], d, instantOn(d),
                        new UUID(rnd.nextLong(), rnd.nextLong()).toString(), "v0");
                truth.put(o.identity(), o);
            }
        }

        private void changeCell(FlagRule rule, LocalDate d) {
            if (rule == FlagRule.NOT_IMPROVING && dayNumber(d) < 30) {
                return;
            }
            String identity = rule + "||" + d;
            double r = rnd.nextDouble();
            if (r < 0.3) {
                if (truth.remove(identity) == null) {
                    truth.put(identity, new FlagRules.Occurrence(rule, "", d, instantOn(d), d.toString(), "v0"));
                }
            } else if (r < 0.45 && truth.containsKey(identity)) {
                truth.put(identity, new FlagRules.Occurrence(rule, "", d, instantOn(d), d.toString(), "v" + rnd.nextInt(3)));
            }
        }

        /** Any time of a past day; today, any time until now. */
        private Instant instantOn(LocalDate d) {
            Instant start = d.atStartOfDay(BERLIN).toInstant();
            long upTo = dayNumber(d) < today ? 86_400 : Duration.between(start, now()).getSeconds() + 1;
            return start.plusSeconds(rnd.nextLong(upTo));
        }

        /** A clinician now and then acknowledges an open flag or resolves an active one. */
        private void review() {
            List<ReviewFlag> active = store.flags.values().stream().filter(ReviewFlag::active).toList();
            if (active.isEmpty()) {
                return;
            }
            ReviewFlag f = active.get(rnd.nextInt(active.size()));
            double r = rnd.nextDouble();
            if (r < 0.08) {
                store.flags.put(f.flagId(), withStatus(f, ReviewFlag.Status.RESOLVED, now()));
                resolutions++;
            } else if (r < 0.12 && f.status() == ReviewFlag.Status.OPEN) {
                store.flags.put(f.flagId(), withStatus(f, ReviewFlag.Status.ACKNOWLEDGED, now()));
            }
        }
    }

    /** Occurrences by identity and the flags, changed as FlagEvaluation stores a reconciliation's changes. */
    private static final class Store {
        final Map<String, FlagReconciler.Owned> rows = new HashMap<>();
        final Map<UUID, ReviewFlag> flags = new LinkedHashMap<>();
        int raised;
        int withdrawn;
        int moved;
        int ownedByResolved;

        /** What is stored of the scope, as OccurrenceStore reads it. */
        List<FlagReconciler.Owned> of(Scope scope) {
            return rows.values().stream().filter(o -> scope.covers(o.occurrence().rule().family(), o.occurrence().day())).toList();
        }

        /** The active flags and those resolved at or after the earliest occurrence (FlagStore.ownersSince). */
        List<ReviewFlag> owners(List<FlagRules.Occurrence> computed, List<FlagReconciler.Owned> stored, boolean everything) {
            Instant since = Instant.MAX;
            for (FlagRules.Occurrence o : computed) {
                since = o.at().isBefore(since) ? o.at() : since;
            }
            for (FlagReconciler.Owned o : stored) {
                since = o.occurrence().at().isBefore(since) ? o.occurrence().at() : since;
            }
            Instant from = since;
            return flags.values().stream().filter(f -> everything || f.active() || !f.resolvedAt().isBefore(from)).toList();
        }

        FlagReconciler.Changes changes(Scope scope, List<FlagRules.Occurrence> all, Instant now) {
            List<FlagRules.Occurrence> computed = all.stream().filter(o -> scope.covers(o.rule().family(), o.day())).toList();
            List<FlagReconciler.Owned> stored = of(scope);
            return FlagReconciler.reconcile(PATIENT, computed, stored, owners(computed, stored, scope.everything()), scope.everything(), now);
        }

        void reconcile(Scope scope, List<FlagRules.Occurrence> all, Instant now) {
            FlagReconciler.Changes c = changes(scope, all, now);
            for (ReviewFlag raised : c.raised()) {
                assertFalse(flags.values().stream().anyMatch(f -> f.active() && key(f).equals(key(raised))),
                        "raised while an active flag of " + key(raised) + " exists");
                flags.put(raised.flagId(), raised);
                this.raised++;
            }
            for (FlagReconciler.Owned gone : c.removed()) {
                assertNotNull(rows.remove(gone.occurrence().identity()), "removed but not stored: " + gone);
            }
            Set<String> writtenOnce = new TreeSet<>();
            for (FlagReconciler.Owned o : c.written()) {
                assertTrue(writtenOnce.add(o.occurrence().identity()), "written twice in one reconciliation: " + o);
                assertTrue(flags.containsKey(o.flagId()), "written to an unknown flag: " + o);
                FlagReconciler.Owned previous = rows.put(o.occurrence().identity(), o);
                moved += previous != null && !previous.flagId().equals(o.flagId()) ? 1 : 0;
                ownedByResolved += flags.get(o.flagId()).active() ? 0 : 1;
            }
            for (UUID id : c.mayBeWithdrawn()) {
                if (flags.get(id).status() == ReviewFlag.Status.OPEN && !owns(id)) {
                    flags.remove(id);
                    withdrawn++;
                }
            }
        }

        boolean owns(UUID flagId) {
            return rows.values().stream().anyMatch(o -> o.flagId().equals(flagId));
        }

        Set<FlagRules.Occurrence> occurrences() {
            return rows.values().stream().map(FlagReconciler.Owned::occurrence).collect(Collectors.toSet());
        }

        /** Each flag as its key and the identities it owns. */
        Set<String> summary() {
            Set<String> summary = new TreeSet<>();
            for (ReviewFlag f : flags.values()) {
                summary.add(owned(f, rows.values().stream().filter(o -> o.flagId().equals(f.flagId())).toList()));
            }
            return summary;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static String owned(ReviewFlag f, List<FlagReconciler.Owned> rows) {
        return key(f) + " " + new TreeSet<>(rows.stream().map(o -> o.occurrence().identity()).toList());
    }

    private static String key(ReviewFlag f) {
        return f.rule() + "|" + f.subject();
    }

    private static FlagRules.Occurrence severe(Instant at, String evidence, String detail) {
        return new FlagRules.Occurrence(FlagRule.SEVERE_PAIN, "BUTTOCK", at.atZone(BERLIN).toLocalDate(), at, evidence, detail);
    }

    private static ReviewFlag flag(FlagRule rule, String subject, ReviewFlag.Status status, Instant resolvedAt) {
        Instant raised = Instant.parse("2026-11-01T00:00:00Z");
        return new ReviewFlag(UUID.randomUUID(), PATIENT, rule, rule.severity(), subject, status, raised, raised, List.of(),
                "detail", raised, status == ReviewFlag.Status.OPEN ? null : "c-001", status == ReviewFlag.Status.OPEN ? null : raised,
                null, resolvedAt == null ? null : "c-001", resolvedAt, null);
    }

    private static ReviewFlag withStatus(ReviewFlag f, ReviewFlag.Status status, Instant at) {
        boolean resolved = status == ReviewFlag.Status.RESOLVED;
        return new ReviewFlag(f.flagId(), f.patientId(), f.rule(), f.severity(), f.subject(), status, f.firstEvidenceAt(),
                f.lastEvidenceAt(), f.evidence(), f.detail(), f.raisedAt(),
                resolved ? f.acknowledgedBy() : "c-001", resolved ? f.acknowledgedAt() : at, f.acknowledgementNote(),
                resolved ? "c-001" : null, resolved ? at : null, null);
    }
}
