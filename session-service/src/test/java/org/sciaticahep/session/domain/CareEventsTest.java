package org.sciaticahep.session.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.session.EnrollmentEnded;
import org.sciaticahep.contracts.session.PrescriptionChanged;
import org.sciaticahep.contracts.session.SessionEvent;

/** An event of care outside the contract is a bug: it fails before the log or the outbox is touched, naming fields only. */
class CareEventsTest {

    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void anEventOutsideTheContractIsNeverWritten() {
        LocalDate farAhead = LocalDate.parse("2027-12-02");
        PrescriptionChanged changed = new PrescriptionChanged(UUID.randomUUID(), "p-secret-001", NOW.atOffset(ZoneOffset.UTC),
                UUID.randomUUID(), "c-001", PrescriptionRulesTest.version(2, farAhead));
        assertEquals("prescription.changed breaks the session-events contract in [prescription.effectiveFrom]",
                refusal(EventKind.PRESCRIPTION_CHANGED, changed));

        LocalDate farBack = LocalDate.parse("2025-11-28");
        EnrollmentEnded ended = new EnrollmentEnded(UUID.randomUUID(), "p-secret-001", NOW.atOffset(ZoneOffset.UTC), UUID.randomUUID(),
                "c 001", "RECOVERED", farBack);
        String refusal = refusal(EventKind.ENROLLMENT_ENDED, ended);
        assertEquals("enrollment.ended breaks the session-events contract in [clinicianId, endDate]", refusal);
        for (String value : new String[] {"p-secret-001", "c 001", farBack.toString(), farAhead.toString()}) {
            assertFalse(refusal.contains(value), "no value: " + value);
        }
    }

    /** No log, no outbox, no transaction: the refusal comes first. */
    static String refusal(EventKind kind, SessionEvent event) {
        return assertThrows(IllegalStateException.class, () -> new CareEvents().publish(null, kind, event, NOW)).getMessage();
    }
}
