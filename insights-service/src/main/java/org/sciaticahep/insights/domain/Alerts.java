package org.sciaticahep.insights.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.insights.FlagChanged;
import org.sciaticahep.insights.store.AlertStore;
import org.sciaticahep.insights.store.FactStore;

/**
 * Flag alerts that reach a person: each flag change is queued, in the transaction that made it, for the treating
 * clinician's subscriptions (the on-call targets when nobody treats the patient any more); a HIGH or CRITICAL flag
 * nobody acknowledged in time is escalated to the on-call targets. {@code events/AlertSender} delivers them.
 */
@ApplicationScoped
public class Alerts {

    /** The owner of the clinic's on-call targets, which an admin registers. */
    public static final String ON_CALL = "on-call";
    public static final String ESCALATED = "flag.escalated";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Changes after which nobody needs to hear that the flag was raised or escalated. */
    private static final java.util.Set<String> HANDLED = java.util.Set.of(EventTypes.FLAG_ACKNOWLEDGED, EventTypes.FLAG_RESOLVED,
            EventTypes.FLAG_WITHDRAWN);

    @Inject
    AlertStore store;

    @Inject
    FactStore facts;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "insights.alerts.dashboard-url")
    String dashboardUrl;

    @ConfigProperty(name = "insights.alerts.max-subscriptions")
    int maxSubscriptions;

    @ConfigProperty(name = "insights.alerts.escalate-critical-after")
    Duration escalateCriticalAfter;

    @ConfigProperty(name = "insights.alerts.escalate-high-after")
    Duration escalateHighAfter;

    /**
     * In the flag change's transaction: the alert is queued if and only if the change commits; once a flag is
     * acknowledged, resolved or withdrawn, its raised and escalated alerts not sent yet are not sent any more.
     */
    public Uni<Void> flagChanged(SqlConnection tx, String type, FlagChanged event) {
        String owner = event.clinicianId() == null ? ON_CALL : clinician(event.clinicianId());
        FlagRule.Severity severity = FlagRule.Severity.valueOf(event.severity());
        Uni<Void> superseded = HANDLED.contains(type) ? store.supersede(tx, event.flagId()) : Uni.createFrom().voidItem();
        return superseded.chain(() -> store.enqueue(tx, List.of(new AlertStore.Alert(event.eventId().toString(), type, event.flagId(),
                event.patientId(), owner, severity, body(event.eventId().toString(), type, event.flagId(),
                event.patientId(), event.rule(), severity, event.status(), event.at())))));
    }

    /** The owner of a clinician's own targets; never equal to {@link #ON_CALL}, whatever the clinician's id. */
    public static String clinician(String clinicianId) {
        return "clinician:" + clinicianId;
    }

    /** A new target for the owner's alerts, with the secret that signs them (shown this once). */
    public Uni<AlertSubscription.Created> subscribe(String owner, String createdBy, String url, FlagRule.Severity minSeverity) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        AlertSubscription s = new AlertSubscription(UUID.randomUUID(), owner, url, minSeverity,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        return store.subscribe(s, secret, createdBy, maxSubscriptions).map(made -> {
            if (made == null) {
                throw new Refusal.Conflict("at most " + maxSubscriptions + " subscriptions each; delete one first");
            }
            return new AlertSubscription.Created(s.subscriptionId(), owner, url, minSeverity, s.createdAt(), secret);
        });
    }

    public Uni<List<AlertSubscription>> subscriptions(String owner) {
        return store.subscriptions(owner);
    }

    /** Another owner's subscription is not found, exactly like one that does not exist. */
    public Uni<Void> unsubscribe(String owner, UUID subscriptionId) {
        return store.delete(owner, subscriptionId).map(deleted -> {
            if (!deleted) {
                throw new Refusal.NotFound("no such subscription");
            }
            return null;
        });
    }

    public Uni<AlertStore.Log> deliveries(String owner, UUID subscriptionId, int limit, long offset) {
        return store.deliveries(owner, subscriptionId, limit, offset).map(log -> {
            if (log == null) {
                throw new Refusal.NotFound("no such subscription");
            }
            return log;
        });
    }

    /**
     * HIGH and CRITICAL flags still OPEN after their delay, each escalated once to the on-call targets, in one
     * transaction with their marks; answers the flags escalated.
     */
    public Uni<List<AlertStore.Escalated>> escalate(int limit) {
        return facts.inTransaction(tx -> store.escalate(tx, escalateCriticalAfter, escalateHighAfter, limit).call(flags ->
                store.enqueue(tx, flags.stream().map(this::escalation).toList())));
    }

    /** Open HIGH and CRITICAL flags past their escalation delay that no on-call target would receive. */
    public Uni<Long> unrouted() {
        return store.unrouted(facts.client(), escalateCriticalAfter, escalateHighAfter);
    }

    /** One escalation per flag: its event id (the idempotency key) is derived from the flag's, the same on a retry. */
    private AlertStore.Alert escalation(AlertStore.Escalated f) {
        String eventId = UUID.nameUUIDFromBytes((ESCALATED + ":" + f.flagId()).getBytes(StandardCharsets.UTF_8)).toString();
        return new AlertStore.Alert(eventId, ESCALATED, f.flagId(), f.patientId(), ON_CALL, f.severity(),
                body(eventId, ESCALATED, f.flagId(), f.patientId(), f.rule(), f.severity(), ReviewFlag.Status.OPEN.name(), f.raisedAt()));
    }

    /**
     * What a receiver gets: which flag, whose, its rule and severity, and where to look. No scores, locations,
     * notes or other pain details: the dashboard shows those to whoever signs in.
     */
    String body(String eventId, String type, UUID flagId, String patientId, String rule, FlagRule.Severity severity,
                String status, Instant at) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("type", type);
        body.put("flagId", flagId);
        body.put("patientId", patientId);
        body.put("rule", rule);
        body.put("severity", severity.name());
        body.put("status", status);
        body.put("at", at.toString());
        body.put("link", dashboardUrl.replaceAll("/+$", "") + "/dashboard/patients/" + URLEncoder.encode(patientId, StandardCharsets.UTF_8));
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
