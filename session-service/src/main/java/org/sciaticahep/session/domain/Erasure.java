package org.sciaticahep.session.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.contracts.session.PatientErased;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.session.store.ErasureStore;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Violation;
import org.sciaticahep.support.keys.PatientKeys;
import org.sciaticahep.support.outbox.Outbox;

/**
 * Erases a patient (the right to erasure). The request is recorded first (from then on no event of theirs is taken
 * in); then their data key is destroyed, which makes every record of theirs on session-events unreadable for good,
 * wherever it was copied; then everything session-service holds of them is deleted, with {@code patient.erased}
 * queued for the consumers to delete theirs. An erasure interrupted on the way is completed by asking again, or
 * by {@link #completeInterrupted} a minute later.
 */
@ApplicationScoped
public class Erasure {

    private static final Logger LOG = Logger.getLogger(Erasure.class);
    public static final int MAX_REASON = SessionEventContract.MAX_REASON;

    @Inject
    PatientKeys keys;

    @Inject
    ErasureStore store;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    /**
     * Answers false when nothing of the patient was ever known here (no key, no tombstone, no rows): then nothing is
     * done, so a mistyped id does not block a real one for ever.
     */
    public Uni<Boolean> erase(String patientId, String adminId, String reason) {
        if (!SessionEventContract.validId(patientId)) {
            throw ProblemException.invalid(List.of(Violation.of("patientId", "must be 1-64 letters, digits, '.', '_' or '-'")));
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON) {
            throw ProblemException.invalid(List.of(Violation.of("reason", "is required: why the patient is erased, 1-"
                    + MAX_REASON + " characters, no health data")));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return keys.statesNow(List.of(patientId)).chain(states -> store.holds(patientId).chain(held -> {
            PatientKeys.State state = states.get(patientId);
            if (!held && !state.active() && !state.erased()) {
                return Uni.createFrom().item(false);
            }
            return store.request(patientId, adminId, why, now)
                    .chain(() -> carryOut(patientId, now))
                    .invoke(() -> LOG.infof("patient %s erased by %s", patientId, adminId))
                    .replaceWith(true);
        }));
    }

    /**
     * Completes erasures that were recorded but not carried out (the instance stopped, the keys' store was away):
     * a minute after they were asked for, on whichever instance runs this first.
     */
    @Scheduled(every = "1m", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> completeInterrupted() {
        return store.unfinished(Instant.now().minus(INTERRUPTED_AFTER)).chain(unfinished -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (ErasureStore.Unfinished u : unfinished) {
                chain = chain.chain(() -> carryOut(u.patientId(), u.requestedAt())
                        .invoke(() -> LOG.warnf("patient %s: an interrupted erasure completed", u.patientId())));
            }
            return chain;
        });
    }

    static final java.time.Duration INTERRUPTED_AFTER = java.time.Duration.ofMinutes(1);

    /** The key destroyed first (what makes the records on the topic unreadable for good), then the rows. */
    private Uni<Void> carryOut(String patientId, Instant requestedAt) {
        return keys.erase(patientId)
                .chain(() -> store.complete(patientId, announcement(patientId, requestedAt)))
                .invoke(() -> metrics.counter("session.patients.erased").increment());
    }

    /** Its id derives from the patient: an erasure asked twice announces once. */
    private Outbox.Event announcement(String patientId, Instant at) {
        UUID id = UUID.nameUUIDFromBytes(("patient.erased/" + patientId).getBytes(StandardCharsets.UTF_8));
        PatientErased erased = new PatientErased(id, patientId, at.atOffset(ZoneOffset.UTC));
        try {
            return new Outbox.Event(Topics.SESSION_EVENTS.name(), patientId, id.toString(), EventTypes.PATIENT_ERASED, at,
                    json.writeValueAsString(erased));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
