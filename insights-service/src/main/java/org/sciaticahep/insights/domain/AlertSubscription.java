package org.sciaticahep.insights.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * Where one owner's flag alerts go: a clinician's own target, or one of the clinic's on-call targets
 * ({@link Alerts#ON_CALL}). The secret that signs each alert is shown once, when it is created, and never again.
 */
public record AlertSubscription(UUID subscriptionId, String owner, String url, FlagRule.Severity minSeverity,
                                Instant createdAt) {

    /** The answer to a subscription just made: the only time its secret is shown. */
    public record Created(UUID subscriptionId, String owner, String url, FlagRule.Severity minSeverity, Instant createdAt,
                          String secret) {
    }

    /** One alert to this subscription and how its delivery went; no patient data (the body is not shown). */
    public record Delivery(UUID deliveryId, String type, UUID flagId, String status, int attempts, Instant queuedAt,
                           Instant lastAttemptAt, String lastOutcome, Instant deliveredAt, Instant nextAttemptAt) {
    }
}
