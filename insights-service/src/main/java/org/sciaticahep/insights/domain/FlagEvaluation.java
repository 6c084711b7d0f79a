package org.sciaticahep.insights.domain;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.insights.store.DayStore;
import org.sciaticahep.insights.store.FactStore;
import org.sciaticahep.insights.store.FlagStore;
import org.sciaticahep.insights.store.OccurrenceStore;
import org.sciaticahep.insights.store.RebuildStore;

/**
 * Keeps patients' flags in step with what they reported: for each patient, the rules over the window a scope needs,
 * reconciled with what is stored of that scope, in the caller's transaction and with the patients locked (whoever
 * derives a patient's flags holds their lock). Also the time-based rules, which change with days passing alone.
 */
@ApplicationScoped
public class FlagEvaluation {

    private static final Logger LOG = Logger.getLogger(FlagEvaluation.class);

    /** Patients evaluated per transaction by the time-based rules. */
    static final int TIME_RULES_BATCH = 200;

    /** No report is older than this (session refuses reports over a year old): "all of a patient's reports". */
    private static final Instant ALL_FROM = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant ALL_TO = Instant.parse("2200-01-01T00:00:00Z");

    @Inject
    FactStore facts;

    @Inject
    DayStore days;

    @Inject
    OccurrenceStore occurrences;

    @Inject
    FlagStore flags;

    @Inject
    FlagEvents events;

    @Inject
    RebuildStore rebuilds;

    @Inject
    Prescriptions prescriptions;

    @Inject
    MeterRegistry metrics;

    /**
     * The patients as an evaluation needs them: zone and evaluation date, their latest enrollment (if any) and the days
     * its baseline is taken from.
     */
    public record Patients(Map<String, FactStore.PatientState> states, Map<String, Facts.Enrollment> enrollments,
                           Map<String, PainTrend.BaselineDays> baselineDays) {

        public ZoneId zone(String patientId) {
            FactStore.PatientState state = states.get(patientId);
            return state == null ? ZoneOffset.UTC : state.zone();
        }
    }

    public Uni<Patients> load(SqlConnection tx, Collection<String> patientIds) {
        return facts.states(tx, patientIds).chain(states -> load(tx, states, patientIds));
    }

    /** With their states already read in this transaction. */
    public Uni<Patients> load(SqlConnection tx, Map<String, FactStore.PatientState> states, Collection<String> patientIds) {
        return facts.latestEnrollments(tx, patientIds).chain(enrollments -> days.baselineDays(tx, enrollments.values())
                .map(baselines -> new Patients(states, enrollments, baselines)));
    }

    /**
     * Derives each patient's flags over their scope and stores what changed; patients are locked by the caller. A few
     * patients at a time when scopes are everything: memory holds one chunk's windows, whatever their histories.
     */
    public Uni<Void> evaluate(SqlConnection tx, Map<String, Scope> scopes, Patients patients) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        Map<String, Scope> chunk = new LinkedHashMap<>();
        int weight = 0;
        for (Map.Entry<String, Scope> e : scopes.entrySet()) {
            chunk.put(e.getKey(), e.getValue());
            weight += e.getValue().everything() ? WHOLE_HISTORY_WEIGHT : 1;
            if (weight >= CHUNK_WEIGHT) {
                Map<String, Scope> these = chunk;
                chain = chain.chain(() -> evaluateChunk(tx, these, patients));
                chunk = new LinkedHashMap<>();
                weight = 0;
            }
        }
        Map<String, Scope> rest = chunk;
        return rest.isEmpty() ? chain : chain.chain(() -> evaluateChunk(tx, rest, patients));
    }

    /** A windowed scope counts 1, a whole history this much (a year of days and reports against a week's). */
    static final int WHOLE_HISTORY_WEIGHT = 20;
    static final int CHUNK_WEIGHT = 500;

    private Uni<Void> evaluateChunk(SqlConnection tx, Map<String, Scope> scopes, Patients patients) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<String, LocalDate> today = new HashMap<>();
        List<DayStore.Days> dayRanges = new ArrayList<>();
        List<DayStore.Span> spans = new ArrayList<>();
        scopes.forEach((patientId, scope) -> {
            ZoneId zone = patients.zone(patientId);
            LocalDate date = LocalDate.now(zone);
            today.put(patientId, date);
            needs(patientId, scope, patients.enrollments().get(patientId), zone, date, dayRanges, spans);
            dayRanges.addAll(DayStore.ranges(patientId, patients.baselineDays().getOrDefault(patientId, PainTrend.BaselineDays.NONE)));
        });
        List<String> ids = new ArrayList<>(scopes.keySet());
        List<Facts.Enrollment> enrolled = ids.stream().map(patients.enrollments()::get).filter(java.util.Objects::nonNull).toList();
        // independent reads, sent together on the transaction's connection (pipelined: one wait, not six)
        return Uni.combine().all().unis(days.days(tx, dayRanges, DayStore.Kinds.BOTH), days.reports(tx, spans), days.firstPain(tx, ids),
                occurrences.of(tx, scopes), prescriptions.of(tx, enrolled), days.lastActiveDays(tx, ids)).asTuple().chain(read -> {
            Map<String, NavigableMap<LocalDate, PatientDay>> daily = read.getItem1();
            Map<String, List<Facts.PainScore>> reports = read.getItem2();
            Map<String, Map<String, DayStore.FirstPain>> firsts = read.getItem3();
            Map<String, List<FlagReconciler.Owned>> stored = read.getItem4();
            Map<UUID, Prescription> prescribed = read.getItem5();
            Map<String, LocalDate> lastActive = read.getItem6();
            Map<String, List<FlagRules.Occurrence>> found = new LinkedHashMap<>();
            for (String patientId : ids) {
                Facts.Enrollment e = patients.enrollments().get(patientId);
                Prescription prescription = e == null ? null : prescribed.get(e.enrollmentId());
                Map<String, UUID> firstPain = new HashMap<>();
                firsts.getOrDefault(patientId, Map.of()).forEach((where, first) -> firstPain.put(where, first.eventId()));
                PatientWindow window = new PatientWindow(patientId, e, patients.zone(patientId), prescription,
                        daily.getOrDefault(patientId, new TreeMap<>()), reports.getOrDefault(patientId, List.of()), firstPain,
                        lastActive.get(patientId), today.get(patientId));
                found.put(patientId, FlagRules.evaluate(window, scopes.get(patientId)));
            }
            Map<String, Instant> since = new HashMap<>();
            for (String patientId : ids) {
                since.put(patientId, scopes.get(patientId).everything() ? null
                        : earliest(found.get(patientId), stored.getOrDefault(patientId, List.of())));
            }
            return flags.ownersSince(tx, since).chain(owners -> {
                Uni<Void> writes = Uni.createFrom().voidItem();
                for (String patientId : ids) {
                    FlagReconciler.Changes changes = FlagReconciler.reconcile(patientId, found.get(patientId),
                            stored.getOrDefault(patientId, List.of()), owners.getOrDefault(patientId, List.of()),
                            scopes.get(patientId).everything(), now);
                    Facts.Enrollment e = patients.enrollments().get(patientId);
                    writes = writes.chain(() -> store(tx, patientId, changes, e == null ? null : e.clinicianId(), now));
                }
                return writes;
            });
        }).chain(() -> {
            // an evaluation of everything, or of the period rules up to today, covers the time-based rules up to today
            Map<String, LocalDate> through = new HashMap<>();
            scopes.forEach((patientId, scope) -> {
                FactStore.PatientState state = patients.states().get(patientId);
                if (coversPeriodsSince(scope, state == null ? null : state.evaluatedThrough(), today.get(patientId))) {
                    through.put(patientId, today.get(patientId));
                }
            });
            return facts.evaluatedThrough(tx, through);
        });
    }

    /**
     * Whether the scope evaluated every period rule from the day already evaluated through up to today: only then may
     * that date move on (a batch of today's reports alone must not skip yesterday's adherence).
     */
    static boolean coversPeriodsSince(Scope scope, LocalDate evaluatedThrough, LocalDate today) {
        if (scope.everything()) {
            return true;
        }
        return evaluatedThrough != null && scope.trendFrom() != null && scope.adherenceFrom() != null
                && !scope.trendFrom().isAfter(evaluatedThrough) && !scope.adherenceFrom().isAfter(evaluatedThrough)
                && !scope.trendTo().isBefore(today) && !scope.adherenceTo().isBefore(today);
    }

    /** The days of aggregates (besides the baseline days) and the spans of single reports the scope's rules read. */
    private static void needs(String patientId, Scope scope, Facts.Enrollment e, ZoneId zone, LocalDate today,
                              List<DayStore.Days> dayRanges, List<DayStore.Span> spans) {
        if (scope.everything()) {
            spans.add(new DayStore.Span(patientId, ALL_FROM, ALL_TO));
            if (e != null) {
                dayRanges.add(new DayStore.Days(patientId, e.startDate().minusDays(Scope.WINDOW_BEFORE), Scope.max(today, e.startDate())));
            }
            return;
        }
        for (LocalDate day : scope.reportDays()) {
            spans.add(new DayStore.Span(patientId, day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant()));
        }
        if (e == null) {
            return;
        }
        if (scope.trendFrom() != null) {
            dayRanges.add(new DayStore.Days(patientId, scope.trendFrom().minusDays(Scope.WINDOW_BEFORE), scope.trendTo()));
        }
        if (scope.adherenceFrom() != null) {
            dayRanges.add(new DayStore.Days(patientId, scope.adherenceFrom().minusDays(Scope.WINDOW_BEFORE), scope.adherenceTo()));
        }
    }

    private static Instant earliest(List<FlagRules.Occurrence> computed, List<FlagReconciler.Owned> stored) {
        Instant earliest = null;
        for (FlagRules.Occurrence o : computed) {
            earliest = earliest == null || o.at().isBefore(earliest) ? o.at() : earliest;
        }
        for (FlagReconciler.Owned o : stored) {
            earliest = earliest == null || o.occurrence().at().isBefore(earliest) ? o.occurrence().at() : earliest;
        }
        // nothing to own: only the active flags are read
        return earliest == null ? ALL_TO : earliest;
    }

    /**
     * Writes the changes and publishes only those that took effect (a flag acknowledged meanwhile is not withdrawn;
     * a quiet-spell flag acknowledged and over is resolved).
     */
    private Uni<Void> store(SqlConnection tx, String patientId, FlagReconciler.Changes changes, String clinician, Instant now) {
        if (changes.isEmpty() && changes.refreshed().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<UUID> notRaised = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Uni<Void> writes = Uni.createFrom().voidItem();
        for (ReviewFlag raised : changes.raised()) {
            writes = writes.chain(() -> flags.insert(tx, raised)).chain(inserted -> {
                if (!inserted) {
                    notRaised.add(raised.flagId());
                    return Uni.createFrom().voidItem();
                }
                metrics.counter("insights.flags.raised", "rule", raised.rule().name(), "severity", raised.severity().name()).increment();
                return events.publish(tx, EventTypes.FLAG_RAISED, raised, clinician, now, null, null);
            });
        }
        return writes
                .chain(() -> occurrences.remove(tx, changes.removed().stream().map(o -> new OccurrenceStore.Stored(patientId, o)).toList()))
                .chain(() -> occurrences.write(tx, changes.written().stream().filter(o -> !notRaised.contains(o.flagId()))
                        .map(o -> new OccurrenceStore.Stored(patientId, o)).toList()))
                .chain(() -> flags.refresh(tx, changes.refreshed()))
                .chain(moved -> {
                    Uni<Void> published = Uni.createFrom().voidItem();
                    for (ReviewFlag f : moved) {
                        published = published.chain(() -> events.publish(tx, EventTypes.FLAG_SEVERITY_CHANGED, f, clinician, now, null, null));
                    }
                    return published;
                })
                .chain(() -> flags.closeUnsupported(tx, changes.mayBeWithdrawn(), now))
                .chain(closed -> {
                    Uni<Void> published = Uni.createFrom().voidItem();
                    for (ReviewFlag w : closed.withdrawn()) {
                        published = published.chain(() -> events.publish(tx, EventTypes.FLAG_WITHDRAWN, w, clinician, now, null, null));
                    }
                    for (ReviewFlag r : closed.resolved()) {
                        published = published.chain(() -> events.publish(tx, EventTypes.FLAG_RESOLVED, r, clinician, now,
                                FlagStore.RESOLVED_BY_INSIGHTS, r.resolutionNote()));
                    }
                    return published;
                });
    }

    /**
     * The time-based rules of every enrolled patient whose local date moved on since their last evaluation: the period
     * rules of the days since then. Another instance doing the same finds nothing left to change (patients are locked,
     * writes conditional). Not while a rebuild is under way: its reconciliation evaluates everyone.
     */
    public Uni<Integer> timeRules() {
        return rebuilds.state(facts.client()).chain(rebuild -> rebuild.rebuilding() ? Uni.createFrom().item(0)
                : facts.dueForTimeRules(facts.client()).chain(ids -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (int i = 0; i < ids.size(); i += TIME_RULES_BATCH) {
                        List<String> batch = ids.subList(i, Math.min(ids.size(), i + TIME_RULES_BATCH));
                        // a batch that fails is taken one patient at a time: one patient's failure must not keep the
                        // others' time-based flags from being raised, nor stop the run for everyone after them
                        chain = chain.chain(() -> timeRulesOf(batch).onFailure().recoverWithUni(failure -> {
                            Uni<Void> each = Uni.createFrom().voidItem();
                            for (String id : batch) {
                                each = each.chain(() -> timeRulesOf(List.of(id)).onFailure().recoverWithUni(alone -> {
                                    // the kind of failure only: a database message may quote values
                                    LOG.warnf("time rules of patient %s failed (%s); retried on the next run", id,
                                            alone.getClass().getName());
                                    metrics.counter("insights.time.rules.failures").increment();
                                    return Uni.createFrom().voidItem();
                                }));
                            }
                            return each;
                        }));
                    }
                    return chain.replaceWith(ids.size());
                }));
    }

    /**
     * The period rules of the days since each patient's last evaluation, in one transaction that holds the rebuild lock
     * shared (as a batch of events does: a rebuild cannot empty the facts midway) and the patients' locks.
     */
    private Uni<Void> timeRulesOf(List<String> patientIds) {
        return facts.inTransaction(tx -> rebuilds.lockShared(tx)
                .chain(() -> facts.lockPatients(tx, patientIds))
                .chain(() -> rebuilds.state(tx))
                // a rebuild that began before the lock has emptied the facts: its reconciliation takes over
                .chain(now -> now.rebuilding() ? Uni.createFrom().voidItem() : load(tx, patientIds).chain(patients -> {
                    Map<String, Scope> scopes = new LinkedHashMap<>();
                    for (String id : patientIds) {
                        FactStore.PatientState state = patients.states().get(id);
                        LocalDate today = LocalDate.now(patients.zone(id));
                        scopes.put(id, state == null || state.evaluatedThrough() == null ? Scope.EVERYTHING
                                : Scope.periods(state.evaluatedThrough(), today));
                    }
                    return evaluate(tx, scopes, patients);
                })));
    }

    /** Every rule of each patient over their whole history (a rebuild's reconciliation), with the patients locked. */
    public Uni<Void> reevaluateLocked(SqlConnection tx, List<String> patientIds) {
        return facts.lockPatients(tx, patientIds).chain(() -> load(tx, patientIds)).chain(patients -> evaluate(tx,
                patientIds.stream().collect(Collectors.toMap(id -> id, id -> Scope.EVERYTHING, (a, b) -> a, LinkedHashMap::new)),
                patients));
    }
}
