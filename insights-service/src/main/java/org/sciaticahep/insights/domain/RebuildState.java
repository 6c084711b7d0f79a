package org.sciaticahep.insights.domain;

import java.time.Instant;

/**
 * Where a rebuild of insights stands. While facts are replayed, flags are left as they are (half the facts would
 * withdraw and raise them again); then every patient's flags are reconciled once, in patient id order.
 */
public record RebuildState(long generation, Status status, String requestedBy, Instant requestedAt, Instant finishedAt,
                           String reconciledThrough) {

    public enum Status {
        /** Facts are applied from the beginning of session-events. */
        REPLAYING,
        /** All facts are back; flags are being re-derived patient by patient. */
        RECONCILING,
        /** Normal service. */
        DONE
    }

    public boolean rebuilding() {
        return status != Status.DONE;
    }

    /** Whether a new event of the patient re-derives their flags now: always, except for patients not reconciled yet. */
    public boolean evaluatesFlagsOf(String patientId) {
        return switch (status) {
            case DONE -> true;
            case RECONCILING -> reconciledThrough != null && patientId.compareTo(reconciledThrough) <= 0;
            case REPLAYING -> false;
        };
    }
}
