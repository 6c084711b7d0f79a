package org.sciaticahep.insights.domain;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.insights.FlagChanged;
import org.sciaticahep.contracts.session.EnrollmentEnded;
import org.sciaticahep.contracts.session.EnrollmentStarted;
import org.sciaticahep.contracts.session.ExerciseCompleted;
import org.sciaticahep.contracts.session.PainReported;
import org.sciaticahep.contracts.session.SessionEvent;
import org.sciaticahep.insights.store.FactStore;
import org.sciaticahep.insights.store.FlagStore;
import org.sciaticahep.insights.store.RebuildStore;
import org.sciaticahep.support.ProblemException;

/**
 * Applies session events and keeps each patient's flags in step with their facts. A batch of events, its
 * processed ids, the facts and the flag changes they cause are one transaction (the caller's): applied once, or
 * not at all.
 */
@ApplicationScoped
public class Insights {

    /** A session event as it arrived: its payload and when session-service accepted it (null if unknown). */
    public record Arrival(SessionEvent event, Instant recordedAt) {
    }

    private static final Set<FlagRule.Reads> EVERYTHING = Collections.unmodifiableSet(EnumSet.allOf(FlagRule.Reads.class));

    /** Patients re-evaluated per transaction by the scheduled time-based rules. */
    static final int EVERYONE_BATCH = 200;

    @Inject
    FactStore facts;

    @Inject
    FlagStore flags;

    @Inject
    CatalogCopy catalog;

    @Inject
    RebuildStore rebuilds;

    @Inject
    MeterRegistry metrics;

    /** The patient's local date when their flags were last evaluated, on this instance. */
    private final Map<String, LocalDate> evaluatedOn = new ConcurrentHashMap<>();
    private Timer sinceOccurred;
    private Timer sinceRecorded;

    @PostConstruct
    void meters() {
        sinceOccurred = Timer.builder("insights.processing.delay").tag("from", "occurred")
                .description("From when an event happened on the phone to when insights applied it")
                .publishPercentileHistogram().register(metrics);
        sinceRecorded = Timer.builder("insights.processing.delay").tag("from", "recorded")
                .description("From when session-service accepted an event to when insights applied it")
                .publishPercentileHistogram().register(metrics);
    }

    /**
     * Applies the arrivals in the caller's transaction: each event once (a redelivered one is skipped), and the flags
     * of the patients it concerns re-derived, unless a rebuild has not reconciled them yet. The patients are locked
     * first, so the scheduled rules and a rebuild's reconciliation never derive their flags at the same time.
     */
    public Uni<Void> apply(SqlConnection tx, List<Arrival> arrivals) {
        if (arrivals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<UUID> ids = arrivals.stream().map(a -> a.event().eventId()).toList();
        List<String> patientIds = arrivals.stream().map(a -> a.event().patientId()).distinct().toList();
        return facts.lockPatients(tx, patientIds).chain(() -> rebuilds.state(tx)).chain(rebuild -> facts.markProcessed(tx, ids).chain(fresh -> {
            List<EnrollmentStarted> enrollments = new ArrayList<>();
            List<EnrollmentEnded> endings = new ArrayList<>();
            List<ExerciseCompleted> exercises = new ArrayList<>();
            List<Instant> exercisesRecorded = new ArrayList<>();
            List<PainReported> pain = new ArrayList<>();
            List<Instant> painRecorded = new ArrayList<>();
            Map<String, Set<FlagRule.Reads>> changed = new LinkedHashMap<>();
            Set<UUID> seen = new HashSet<>();
            for (Arrival a : arrivals) {
                if (!fresh.contains(a.event().eventId()) || !seen.add(a.event().eventId())) {
                    metrics.counter("insights.events.duplicates").increment();
                    continue;
                }
                Set<FlagRule.Reads> reads = changed.computeIfAbsent(a.event().patientId(), p -> EnumSet.noneOf(FlagRule.Reads.class));
                if (a.event() instanceof EnrollmentStarted e) {
                    enrollments.add(e);
                    reads.addAll(EVERYTHING);
                } else if (a.event() instanceof EnrollmentEnded e) {
                    endings.add(e);
                    reads.addAll(EVERYTHING);
                } else if (a.event() instanceof ExerciseCompleted e) {
                    exercises.add(e);
                    exercisesRecorded.add(a.recordedAt());
                    reads.add(FlagRule.Reads.EXERCISES);
                } else if (a.event() instanceof PainReported e) {
                    pain.add(e);
                    painRecorded.add(a.recordedAt());
                    reads.add(FlagRule.Reads.PAIN);
                }
            }
            changed.keySet().removeIf(patientId -> !rebuild.evaluatesFlagsOf(patientId));
            return facts.addEnrollments(tx, enrollments)
                    .chain(() -> facts.endEnrollments(tx, endings))
                    .chain(() -> facts.addExercises(tx, exercises, exercisesRecorded))
                    .chain(() -> facts.addPain(tx, pain, painRecorded))
                    .chain(() -> reevaluate(tx, changed))
                    .invoke(() -> applied(arrivals, fresh));
        }));
    }

    private void applied(List<Arrival> arrivals, Set<UUID> fresh) {
        Instant now = Instant.now();
        Map<String, Integer> byType = new HashMap<>();
        for (Arrival a : arrivals) {
            if (fresh.contains(a.event().eventId())) {
                byType.merge(typeOf(a.event()), 1, Integer::sum);
                sinceOccurred.record(Duration.between(a.event().occurredAt().toInstant(), now));
                if (a.recordedAt() != null) {
                    sinceRecorded.record(Duration.between(a.recordedAt(), now));
                }
            }
        }
        byType.forEach((type, count) -> metrics.counter("insights.events.applied", "type", type).increment(count));
    }

    /**
     * Re-derives, from the patients' facts read for all of them at once, the flags of the rules that read what
     * changed for each; in this transaction.
     */
    public Uni<Void> reevaluate(SqlConnection tx, Map<String, Set<FlagRule.Reads>> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<String> patientIds = new ArrayList<>(changed.keySet());
        return facts.patients(tx, changed).chain(patients -> flags.ofPatients(tx, patientIds).chain(existing -> {
            Uni<Void> writes = Uni.createFrom().voidItem();
            for (String patientId : patientIds) {
                Facts.Patient patient = patients.get(patientId);
                Set<FlagRule.Reads> reads = changed.get(patientId);
                LocalDate today = LocalDate.now(patient.zone());
                if (reads.containsAll(EVERYTHING)) {
                    evaluatedOn.put(patientId, today);
                }
                Prescription prescription = patient.enrollment() == null ? null
                        : Prescription.of(patient.enrollment().programId(), catalog).orElse(null);
                List<FlagRules.Occurrence> occurrences = FlagRules.evaluate(patient, prescription, today, reads);
                List<ReviewFlag> inScope = existing.getOrDefault(patientId, List.of()).stream()
                        .filter(f -> reads.contains(f.rule().reads())).toList();
                FlagReconciler.Changes changes = FlagReconciler.reconcile(patientId, occurrences, inScope, now);
                String clinician = patient.enrollment() == null ? null : patient.enrollment().clinicianId();
                writes = writes.chain(() -> store(tx, changes, clinician, now));
            }
            return writes;
        }));
    }

    /** Writes the changes and publishes only those that took effect (a flag acknowledged meanwhile is not withdrawn). */
    private Uni<Void> store(SqlConnection tx, FlagReconciler.Changes changes, String clinician, Instant now) {
        Uni<Void> writes = Uni.createFrom().voidItem();
        for (ReviewFlag raised : changes.raised()) {
            writes = writes.chain(() -> flags.insert(tx, raised)).chain(inserted -> {
                if (!inserted) {
                    return Uni.createFrom().voidItem();
                }
                metrics.counter("insights.flags.raised", "rule", raised.rule().name(), "severity", raised.severity().name()).increment();
                return publish(tx, EventTypes.FLAG_RAISED, raised, clinician, now, null, null);
            });
        }
        for (ReviewFlag updated : changes.updated()) {
            writes = writes.chain(() -> flags.updateEvidence(tx, updated));
        }
        for (ReviewFlag withdrawn : changes.withdrawn()) {
            writes = writes.chain(() -> flags.withdraw(tx, withdrawn.flagId()))
                    .chain(gone -> gone ? publish(tx, EventTypes.FLAG_WITHDRAWN, withdrawn, clinician, now, null, null)
                            : Uni.createFrom().voidItem());
        }
        return writes;
    }

    /**
     * Time-based rules (trends, not improving, low adherence) for every enrolled patient whose local date changed
     * since their flags were last evaluated on this instance: their windows are whole local days, so nothing else can
     * change. Another instance doing the same finds nothing left to change (patients are locked, writes conditional).
     * Not while a rebuild is under way: its reconciliation evaluates everyone.
     */
    public Uni<Integer> reevaluateEveryone() {
        return rebuilds.state(facts.client()).chain(rebuild -> rebuild.rebuilding() ? Uni.createFrom().item(0)
                : facts.currentEnrollments(facts.client()).chain(enrollments -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    List<String> ids = enrollments.stream()
                            .filter(e -> !LocalDate.now(e.zone()).equals(evaluatedOn.get(e.patientId())))
                            .map(Facts.Enrollment::patientId).toList();
                    for (int i = 0; i < ids.size(); i += EVERYONE_BATCH) {
                        List<String> batch = ids.subList(i, Math.min(ids.size(), i + EVERYONE_BATCH));
                        // a rebuild that began meanwhile has emptied the facts: its reconciliation takes over
                        chain = chain.chain(() -> facts.inTransaction(tx -> facts.lockPatients(tx, batch)
                                .chain(() -> rebuilds.state(tx))
                                .chain(now -> now.rebuilding() ? Uni.createFrom().voidItem() : reevaluate(tx, everything(batch)))));
                    }
                    return chain.replaceWith(ids.size());
                }));
    }

    /** Every rule of each patient, with the patients locked for this transaction. */
    public Uni<Void> reevaluateLocked(SqlConnection tx, List<String> patientIds) {
        return facts.lockPatients(tx, patientIds).chain(() -> reevaluate(tx, everything(patientIds)));
    }

    private static Map<String, Set<FlagRule.Reads>> everything(List<String> patientIds) {
        Map<String, Set<FlagRule.Reads>> all = new LinkedHashMap<>();
        patientIds.forEach(id -> all.put(id, EVERYTHING));
        return all;
    }

    /** After a rebuild, what this instance remembers of earlier evaluations no longer holds. */
    public void forgetEvaluations() {
        evaluatedOn.clear();
    }

    public Uni<ReviewFlag> acknowledge(UUID flagId, String by, String note) {
        return act(flagId, ReviewFlag.Status.OPEN, ReviewFlag.Status.ACKNOWLEDGED, by, note, EventTypes.FLAG_ACKNOWLEDGED);
    }

    public Uni<ReviewFlag> resolve(UUID flagId, String by, String note) {
        return flags.byId(facts.client(), flagId).chain(flag -> {
            if (flag == null) {
                throw ProblemException.notFound("no such flag");
            }
            if (flag.status() == ReviewFlag.Status.RESOLVED) {
                throw ProblemException.conflict("flag " + flagId + " is already resolved");
            }
            return act(flagId, flag.status(), ReviewFlag.Status.RESOLVED, by, note, EventTypes.FLAG_RESOLVED);
        });
    }

    private Uni<ReviewFlag> act(UUID flagId, ReviewFlag.Status from, ReviewFlag.Status to, String by, String note,
                                String eventType) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return facts.inTransaction(tx -> flags.byId(tx, flagId).chain(flag -> {
            if (flag == null) {
                throw ProblemException.notFound("no such flag");
            }
            return flags.transition(tx, flagId, from, to, by, now, note).chain(moved -> {
                if (!moved) {
                    throw ProblemException.conflict("flag " + flagId + " is " + flag.status() + ", not " + from);
                }
                return facts.patient(tx, flag.patientId()).chain(p -> publish(tx, eventType, flag,
                        p.enrollment() == null ? null : p.enrollment().clinicianId(), now, by, note));
            }).chain(() -> flags.byId(tx, flagId));
        }));
    }

    private Uni<Void> publish(SqlConnection tx, String type, ReviewFlag flag, String clinicianId, Instant at, String by,
                              String note) {
        String status = switch (type) {
            case EventTypes.FLAG_ACKNOWLEDGED -> ReviewFlag.Status.ACKNOWLEDGED.name();
            case EventTypes.FLAG_RESOLVED -> ReviewFlag.Status.RESOLVED.name();
            case EventTypes.FLAG_WITHDRAWN -> "WITHDRAWN";
            default -> flag.status().name();
        };
        return flags.enqueue(tx, type, new FlagChanged(UUID.randomUUID(), flag.flagId(), flag.patientId(), clinicianId,
                flag.rule().name(), flag.severity().name(), flag.subject(), status, flag.detail(), at, by, note));
    }

    private static String typeOf(SessionEvent e) {
        if (e instanceof EnrollmentStarted) {
            return EventTypes.ENROLLMENT_STARTED;
        }
        if (e instanceof EnrollmentEnded) {
            return EventTypes.ENROLLMENT_ENDED;
        }
        return e instanceof ExerciseCompleted ? EventTypes.EXERCISE_COMPLETED : EventTypes.PAIN_REPORTED;
    }
}
