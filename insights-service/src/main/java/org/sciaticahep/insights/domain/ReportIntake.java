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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.session.EnrollmentEnded;
import org.sciaticahep.contracts.session.EnrollmentStarted;
import org.sciaticahep.contracts.session.ExerciseCompleted;
import org.sciaticahep.contracts.session.PainReported;
import org.sciaticahep.contracts.session.PrescriptionChanged;
import org.sciaticahep.contracts.session.SessionEvent;
import org.sciaticahep.insights.store.DayStore;
import org.sciaticahep.insights.store.FactStore;
import org.sciaticahep.insights.store.PrescriptionStore;
import org.sciaticahep.insights.store.RebuildStore;

/**
 * Takes in what patients' apps reported, as session-service published it: each event applied once (its facts and the
 * daily aggregates), and the flags of the days it can change derived again. A batch of events, its processed ids, the
 * facts, the aggregates and the flag changes they cause are one transaction (the caller's): applied once, or not at all.
 */
@ApplicationScoped
public class ReportIntake {

    /** A session event as it arrived: its payload and when session-service accepted it (null if unknown). */
    public record Arrival(SessionEvent event, Instant recordedAt) {
    }

    @Inject
    FactStore facts;

    @Inject
    DayStore days;

    @Inject
    PrescriptionStore prescriptions;

    @Inject
    RebuildStore rebuilds;

    @Inject
    FlagEvaluation evaluation;

    @Inject
    MeterRegistry metrics;

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
     * Applies the arrivals in the caller's transaction, and re-derives the flags of the days they change, unless a
     * rebuild has not reconciled the patient yet. The patients are locked first, so the time-based rules and a
     * rebuild's reconciliation never derive their flags at the same time.
     */
    public Uni<Void> apply(SqlConnection tx, List<Arrival> arrivals) {
        if (arrivals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // exercises and pain reports are taken once by their own logs (keyed by event id); the rest by processed_event
        List<UUID> ids = arrivals.stream().map(Arrival::event).filter(e -> !logged(e)).map(SessionEvent::eventId).toList();
        List<String> patientIds = arrivals.stream().map(a -> a.event().patientId()).distinct().toList();
        return facts.lockPatients(tx, patientIds).chain(() -> rebuilds.state(tx)).chain(rebuild -> facts.markProcessed(tx, ids).chain(fresh -> {
            Batch candidates = new Batch();
            Set<UUID> seen = new HashSet<>();
            for (Arrival a : arrivals) {
                if (seen.add(a.event().eventId()) && (logged(a.event()) || fresh.contains(a.event().eventId()))) {
                    candidates.add(a);
                }
            }
            candidates.duplicates = arrivals.size() - candidates.arrivals.size();
            return facts.addEnrollments(tx, candidates.enrollments)
                    .chain(() -> prescriptions.add(tx, candidates.prescriptions))
                    .chain(() -> facts.endEnrollments(tx, candidates.endings))
                    // the logs after the enrollments: a zone that changed re-derives the aggregates from the logs as
                    // they were before this batch, which then adds what the logs took
                    .chain(() -> facts.logExercises(tx, candidates.exercises, candidates.exercisesRecorded))
                    .chain(exercises -> facts.logPain(tx, candidates.pain, candidates.painRecorded)
                            .map(pain -> candidates.taken(fresh, exercises, pain)))
                    .chain(batch -> aggregateAndEvaluate(tx, rebuild, batch))
                    .replaceWithVoid();
        }));
    }

    /** The aggregates of what the batch took, and the flags of the days it changes. */
    private Uni<Void> aggregateAndEvaluate(SqlConnection tx, RebuildState rebuild, Batch batch) {
        if (batch.arrivals.isEmpty()) {
            applied(batch, rebuild);
            return Uni.createFrom().voidItem();
        }
        List<String> evaluated = batch.patients.stream().filter(rebuild::evaluatesFlagsOf).toList();
        // the first pain at each place as it was before this batch: a report earlier than it moves it
        Uni<Map<String, Map<String, DayStore.FirstPain>>> firstsBefore = evaluated.isEmpty() || batch.pain.isEmpty()
                ? Uni.createFrom().item(Map.of()) : days.firstPain(tx, evaluated);
        // only patients something was taken for: a copy of an erased patient's report brings no state row back
        return facts.knowPatients(tx, new ArrayList<>(batch.patients))
                .chain(() -> firstsBefore)
                // the states (zones) once, after the enrollments: the days of the facts and of the scopes agree
                .chain(firsts -> facts.states(tx, batch.patients).chain(states -> {
                    Map<String, ZoneId> zones = zones(states);
                    return facts.aggregateExercises(tx, batch.exercises, zones)
                            .chain(() -> facts.aggregatePain(tx, batch.pain, zones))
                            .chain(() -> evaluated.isEmpty() ? Uni.createFrom().voidItem() : evaluation.load(tx, states, evaluated)
                                    .chain(patients -> evaluation.evaluate(tx, scopes(batch, evaluated, patients, firsts), patients)));
                }))
                .invoke(() -> applied(batch, rebuild));
    }

    /** Whether the event is kept in a log table of its own whose key is the event's id (which takes it once). */
    private static boolean logged(SessionEvent e) {
        return e instanceof ExerciseCompleted || e instanceof PainReported;
    }

    private static Map<String, ZoneId> zones(Map<String, FactStore.PatientState> states) {
        Map<String, ZoneId> zones = new HashMap<>();
        states.forEach((id, state) -> zones.put(id, state.zone()));
        return zones;
    }

    /** The fresh events of a batch, by kind. */
    private static final class Batch {
        final Set<String> patients = new LinkedHashSet<>();
        final List<EnrollmentStarted> enrollments = new ArrayList<>();
        final List<EnrollmentEnded> endings = new ArrayList<>();
        final List<PrescriptionStore.Stored> prescriptions = new ArrayList<>();
        final Set<String> prescriptionChanged = new HashSet<>();
        final List<ExerciseCompleted> exercises = new ArrayList<>();
        final List<Instant> exercisesRecorded = new ArrayList<>();
        final List<PainReported> pain = new ArrayList<>();
        final List<Instant> painRecorded = new ArrayList<>();
        /** What the batch took, in arrival order (metered once applied). */
        final List<Arrival> arrivals = new ArrayList<>();
        /** Copies of events taken before: skipped. */
        int duplicates;

        void add(Arrival a) {
            arrivals.add(a);
            patients.add(a.event().patientId());
            if (a.event() instanceof EnrollmentStarted e) {
                enrollments.add(e);
                if (e.prescription() != null) {
                    prescriptions.add(new PrescriptionStore.Stored(e.patientId(), e.enrollmentId(), e.prescription()));
                }
            } else if (a.event() instanceof PrescriptionChanged e) {
                prescriptions.add(new PrescriptionStore.Stored(e.patientId(), e.enrollmentId(), e.prescription()));
                prescriptionChanged.add(e.patientId());
            } else if (a.event() instanceof EnrollmentEnded e) {
                endings.add(e);
            } else if (a.event() instanceof ExerciseCompleted e) {
                exercises.add(e);
                exercisesRecorded.add(a.recordedAt());
            } else if (a.event() instanceof PainReported e) {
                pain.add(e);
                painRecorded.add(a.recordedAt());
            }
        }

        /**
         * The candidates processed_event (for events without a log) and the logs took: a copy of an event taken
         * before is left out, so no fact, aggregate or rule sees it twice.
         */
        Batch taken(Set<UUID> fresh, Set<UUID> exercisesTaken, Set<UUID> painTaken) {
            Batch taken = new Batch();
            for (Arrival a : arrivals) {
                UUID id = a.event().eventId();
                if (fresh.contains(id) || exercisesTaken.contains(id) || painTaken.contains(id)) {
                    taken.add(a);
                }
            }
            taken.duplicates = duplicates + arrivals.size() - taken.arrivals.size();
            return taken;
        }
    }

    /**
     * What each event can change: an enrollment, its end or a new prescription version, everything (rare, and a
     * version replayed late may be in force since days whose adherence windows reach today); a pain report, its day's report rules and the
     * trend windows it falls in (everything when it can move the baseline days); an exercise, the adherence windows.
     */
    static Map<String, Scope> scopes(Batch batch, List<String> evaluated, FlagEvaluation.Patients patients,
                                     Map<String, Map<String, DayStore.FirstPain>> firstsBefore) {
        Map<String, Scope.Builder> builders = new LinkedHashMap<>();
        evaluated.forEach(id -> builders.put(id, new Scope.Builder()));
        batch.enrollments.forEach(e -> builder(builders, e.patientId()).ifPresent(Scope.Builder::everything));
        batch.endings.forEach(e -> builder(builders, e.patientId()).ifPresent(Scope.Builder::everything));
        batch.prescriptionChanged.forEach(id -> builder(builders, id).ifPresent(Scope.Builder::everything));
        for (ExerciseCompleted e : batch.exercises) {
            ZoneId zone = patients.zone(e.patientId());
            builder(builders, e.patientId()).ifPresent(b -> b.exercise(e.occurredAt().atZoneSameInstant(zone).toLocalDate()));
        }
        for (PainReported e : batch.pain) {
            ZoneId zone = patients.zone(e.patientId());
            LocalDate day = e.occurredAt().atZoneSameInstant(zone).toLocalDate();
            Facts.Enrollment enrollment = patients.enrollments().get(e.patientId());
            builder(builders, e.patientId()).ifPresent(b -> {
                b.pain(day);
                if (enrollment != null && patients.baselineDays().getOrDefault(e.patientId(), PainTrend.BaselineDays.NONE)
                        .movedBy(enrollment.startDate(), day, Facts.PainScore.atRest(e.context()))) {
                    b.everything();
                }
                DayStore.FirstPain first = firstsBefore.getOrDefault(e.patientId(), Map.of()).get(e.location() + "/" + e.side());
                if (e.score() >= 1 && first != null && earlier(e, first)) {
                    b.reportsOf(first.at().atZone(zone).toLocalDate());
                }
            });
        }
        Map<String, Scope> scopes = new LinkedHashMap<>();
        builders.forEach((id, b) -> {
            if (!b.isEmpty()) {
                scopes.put(id, b.build());
            }
        });
        return scopes;
    }

    private static java.util.Optional<Scope.Builder> builder(Map<String, Scope.Builder> builders, String patientId) {
        return java.util.Optional.ofNullable(builders.get(patientId));
    }

    /** Whether the report comes before the first pain known at its place (in the order the rules use). */
    private static boolean earlier(PainReported e, DayStore.FirstPain first) {
        Instant at = e.occurredAt().toInstant();
        return at.isBefore(first.at()) || at.equals(first.at()) && e.eventId().toString().compareTo(first.eventId().toString()) < 0;
    }

    /**
     * Meters what the batch applied, and the copies it skipped. The processing delays are of events as they come: an
     * event taken in before the rebuild under way was asked for is its replay, and would fill them with months.
     */
    private void applied(Batch batch, RebuildState rebuild) {
        Instant now = Instant.now();
        Instant replayedBefore = rebuild.rebuilding() ? rebuild.requestedAt() : null;
        Map<String, Integer> byType = new HashMap<>();
        for (Arrival a : batch.arrivals) {
            byType.merge(typeOf(a.event()), 1, Integer::sum);
            if (replayedBefore != null
                    && (a.recordedAt() != null ? a.recordedAt() : a.event().occurredAt().toInstant()).isBefore(replayedBefore)) {
                continue;
            }
            sinceOccurred.record(Duration.between(a.event().occurredAt().toInstant(), now));
            if (a.recordedAt() != null) {
                sinceRecorded.record(Duration.between(a.recordedAt(), now));
            }
        }
        byType.forEach((type, count) -> metrics.counter("insights.events.applied", "type", type).increment(count));
        if (batch.duplicates > 0) {
            metrics.counter("insights.events.duplicates").increment(batch.duplicates);
        }
    }

    private static String typeOf(SessionEvent e) {
        if (e instanceof EnrollmentStarted) {
            return EventTypes.ENROLLMENT_STARTED;
        }
        if (e instanceof EnrollmentEnded) {
            return EventTypes.ENROLLMENT_ENDED;
        }
        if (e instanceof PrescriptionChanged) {
            return EventTypes.PRESCRIPTION_CHANGED;
        }
        return e instanceof ExerciseCompleted ? EventTypes.EXERCISE_COMPLETED : EventTypes.PAIN_REPORTED;
    }
}
