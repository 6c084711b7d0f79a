package org.sciaticahep.session.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.session.ExerciseCompleted;
import org.sciaticahep.contracts.session.PainReported;
import org.sciaticahep.contracts.session.SessionEvent;
import org.sciaticahep.rules.SafetyRules;
import org.sciaticahep.session.store.EventLog;
import org.sciaticahep.session.store.NewEvent;
import org.sciaticahep.support.Problem;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Violations;

/**
 * Takes a patient app's batch of events: all valid and stored, or none. A retried batch stores nothing new; an
 * event id reused for different content is a conflict, because counting either version could be wrong.
 */
@ApplicationScoped
public class SessionRecorder {

    private static final Logger LOG = Logger.getLogger(SessionRecorder.class);

    @Inject
    CatalogCopy catalog;

    @Inject
    EventLog log;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "session.batch.max-events")
    int maxEvents;

    @ConfigProperty(name = "session.occurred-at.max-future-skew")
    Duration maxFutureSkew;

    @ConfigProperty(name = "session.occurred-at.max-age")
    Duration maxAge;

    /** Stores the batch; the advice in the receipt is in {@code language} ({@link AdviceTexts#language}). */
    public Uni<Receipt> record(String patientId, List<SubmittedEvent> events, Locale language) {
        Ids.checkPath(patientId, "patientId");
        if (events == null || events.isEmpty()) {
            throw rejected("empty", events, ProblemException.invalid(Violations.collect()
                    .add("body", "must be a JSON array of 1 to " + maxEvents + " events").list()));
        }
        if (events.size() > maxEvents) {
            throw rejected("too_many", events, new ProblemException(new Problem("urn:problem:batch-too-large", "Batch too large",
                    413, events.size() + " events sent; send at most " + maxEvents + " per request", List.of())));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Violations violations = Violations.collect();
        new EventRules(catalog, maxFutureSkew, maxAge).check(events, now, violations);
        if (!violations.isEmpty()) {
            throw rejected("invalid", events, ProblemException.invalid(violations.list()));
        }

        Map<UUID, NewEvent> unique = new LinkedHashMap<>();
        for (SubmittedEvent e : events) {
            NewEvent event = toLogEntry(patientId, e);
            NewEvent first = unique.putIfAbsent(e.eventId(), event);
            if (first != null && !first.contentHash().equals(event.contentHash())) {
                throw rejected("conflict", events, reusedId(e.eventId()));
            }
        }
        return log.inTransaction(tx -> advice(tx, patientId, events).chain(advice ->
                log.append(tx, new ArrayList<>(unique.values()), now, codes(advice)).map(existing -> {
                    for (Map.Entry<UUID, EventLog.Existing> held : existing.entrySet()) {
                        NewEvent sent = unique.get(held.getKey());
                        if (!sent.patientId().equals(held.getValue().patientId())
                                || !sent.contentHash().equals(held.getValue().contentHash())) {
                            // thrown inside the transaction: nothing of this batch is kept
                            throw rejected("conflict", events, reusedId(held.getKey()));
                        }
                        // a retry is told what the first try was told (a report from before advice was kept:
                        // the rules that need no other report)
                        List<String> told = held.getValue().advice();
                        SubmittedEvent e = events.stream().filter(x -> x.eventId().equals(held.getKey())).findFirst().orElseThrow();
                        advice.put(held.getKey(), told != null ? known(told) : e.type() != EventKind.PAIN_REPORTED ? List.of()
                                : SafetyRules.advise(e.score(), e.location(), e.side(), e.context(), e.redFlags(), null));
                    }
                    return receipt(patientId, events, unique, existing.keySet(), advice, language);
                })));
    }

    /**
     * The advice each pain report of the batch meets (an exercise's score against the latest resting score earlier
     * that local day, in the patient's zone, among what the log holds and this batch), worked out before the batch is
     * written so it is kept with its event in the same statement. Only reports during or after an exercise cost a
     * query: one for the batch, of the pain reports of their days.
     */
    private Uni<Map<UUID, List<SafetyRules.Advice>>> advice(SqlConnection tx, String patientId, List<SubmittedEvent> events) {
        List<SubmittedEvent> reports = events.stream().filter(e -> e.type() == EventKind.PAIN_REPORTED).toList();
        if (reports.stream().noneMatch(e -> e.context().isAboutAnExercise())) {
            return Uni.createFrom().item(advise(reports, Map.of(), ZoneOffset.UTC));
        }
        return log.zone(tx, patientId).chain(zone -> {
            ZoneId z = zone(zone);
            Map<LocalDate, EventLog.Day> windows = new HashMap<>();
            for (SubmittedEvent e : reports) {
                if (e.context().isAboutAnExercise()) {
                    LocalDate day = e.occurredAt().atZoneSameInstant(z).toLocalDate();
                    windows.merge(day, new EventLog.Day(day.atStartOfDay(z).toInstant(), e.occurredAt().toInstant()),
                            (a, b) -> a.to().isAfter(b.to()) ? a : b);
                }
            }
            return log.painScores(tx, patientId, windows.values()).map(stored -> {
                Map<LocalDate, List<SafetyRules.Score>> byDay = new HashMap<>();
                List<SafetyRules.Score> all = new ArrayList<>(stored);
                reports.forEach(e -> all.add(new SafetyRules.Score(e.eventId(), e.occurredAt().toInstant(), e.context(), e.score())));
                for (SafetyRules.Score score : all) {
                    byDay.computeIfAbsent(score.at().atZone(z).toLocalDate(), d -> new ArrayList<>()).add(score);
                }
                return advise(reports, byDay, z);
            });
        });
    }

    private static Map<UUID, List<SafetyRules.Advice>> advise(List<SubmittedEvent> reports,
                                                             Map<LocalDate, List<SafetyRules.Score>> byDay, ZoneId zone) {
        Map<UUID, List<SafetyRules.Advice>> advice = new HashMap<>();
        for (SubmittedEvent e : reports) {
            Double reference = !e.context().isAboutAnExercise() ? null : SafetyRules.restingBefore(
                    byDay.getOrDefault(e.occurredAt().atZoneSameInstant(zone).toLocalDate(), List.of()), e.occurredAt().toInstant());
            advice.putIfAbsent(e.eventId(), SafetyRules.advise(e.score(), e.location(), e.side(), e.context(), e.redFlags(), reference));
        }
        return advice;
    }

    /** The patient's days are counted in their enrollment's zone; UTC without one (or for a zone this JDK lacks). */
    private static ZoneId zone(String id) {
        try {
            return id == null ? ZoneOffset.UTC : ZoneId.of(id);
        } catch (java.time.DateTimeException unknown) {
            return ZoneOffset.UTC;
        }
    }

    /** The advice codes kept with each pain report ("" for none: checked, nothing to say). */
    private static Map<UUID, String> codes(Map<UUID, List<SafetyRules.Advice>> advice) {
        Map<UUID, String> codes = new HashMap<>();
        advice.forEach((id, given) -> codes.put(id, String.join(",", given.stream().map(Enum::name).toList())));
        return codes;
    }

    /** Stored codes this build knows (a code of another build is left out rather than failing the batch). */
    private static List<SafetyRules.Advice> known(List<String> codes) {
        List<SafetyRules.Advice> known = new ArrayList<>();
        for (String code : codes) {
            for (SafetyRules.Advice a : SafetyRules.Advice.values()) {
                if (a.name().equals(code)) {
                    known.add(a);
                }
            }
        }
        return known;
    }

    private Receipt receipt(String patientId, List<SubmittedEvent> events, Map<UUID, NewEvent> unique,
                            Set<UUID> heldBefore, Map<UUID, List<SafetyRules.Advice>> advice, Locale language) {
        List<Receipt.EventReceipt> receipts = new ArrayList<>(events.size());
        Set<UUID> answered = new HashSet<>();
        int accepted = 0;
        for (SubmittedEvent e : events) {
            boolean isNew = !heldBefore.contains(e.eventId()) && answered.add(e.eventId());
            List<Receipt.Advice> told = new ArrayList<>();
            for (SafetyRules.Advice a : advice.getOrDefault(e.eventId(), List.of())) {
                String exercise = e.exerciseId() == null ? "" : catalog.exercise(e.exerciseId()).map(x -> x.name()).orElse(e.exerciseId());
                told.add(new Receipt.Advice(a.name(), a.severity(), AdviceTexts.text(a, language, exercise)));
            }
            receipts.add(new Receipt.EventReceipt(e.eventId(), isNew ? Receipt.Status.ACCEPTED : Receipt.Status.DUPLICATE, told));
            if (isNew) {
                accepted++;
                metrics.counter("session.events.accepted", "type", unique.get(e.eventId()).type()).increment();
            } else {
                metrics.counter("session.events.duplicates", "type", e.type().cloudEventType()).increment();
            }
        }
        return new Receipt(patientId, accepted, events.size() - accepted, receipts);
    }

    private NewEvent toLogEntry(String patientId, SubmittedEvent e) {
        SessionEvent payload = switch (e.type()) {
            case EXERCISE_COMPLETED -> new ExerciseCompleted(e.eventId(), patientId, e.occurredAt(),
                    e.exerciseId(), e.side(), e.sets(), e.reps(), e.holdSeconds(), e.difficulty());
            case PAIN_REPORTED -> new PainReported(e.eventId(), patientId, e.occurredAt(), e.score(),
                    e.location(), e.side(), e.context(), e.exerciseId(), Boolean.TRUE.equals(e.newPain()),
                    e.redFlags() == null ? List.of() : List.copyOf(e.redFlags()));
            case ENROLLMENT_STARTED, ENROLLMENT_ENDED, PRESCRIPTION_CHANGED ->
                    throw new IllegalStateException("rejected by EventRules");
        };
        String json = write(payload);
        return new NewEvent(e.eventId(), patientId, e.type().cloudEventType(), e.occurredAt(), contentHash(json), json);
    }

    /**
     * The payload holds exactly what the patient reported (and whose report it is), nothing of when it arrived,
     * so a retry of the same report gives the same hash and any changed field a different one.
     */
    private static String contentHash(String payloadJson) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(payloadJson.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private String write(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Counts a refused batch, and each of its events by type: a whole batch is refused for one bad event. */
    private ProblemException rejected(String reason, List<SubmittedEvent> events, ProblemException problem) {
        metrics.counter("session.batches.rejected", "reason", reason).increment();
        LOG.infof("refused a batch of %d events: %s", events == null ? 0 : events.size(), reason);
        if (events != null) {
            events.stream().collect(Collectors.groupingBy(
                            e -> e == null || e.type() == null ? "unknown" : e.type().cloudEventType(), Collectors.counting()))
                    .forEach((type, count) -> metrics.counter("session.events.rejected", "type", type, "reason", reason)
                            .increment(count));
        }
        return problem;
    }

    private static ProblemException reusedId(UUID eventId) {
        return ProblemException.conflict("eventId " + eventId + " was already used for an event with different content; "
                + "nothing of this batch was stored");
    }
}
