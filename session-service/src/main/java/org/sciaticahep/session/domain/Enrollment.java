package org.sciaticahep.session.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A patient on a program from {@code startDate}, days counted in {@code timezone}, under one clinician: first the
 * clinician's invitation ({@code PENDING} until {@code expiresAt}), an enrollment once the patient accepted it
 * ({@code ACTIVE} from {@code acceptedAt}), until it ends ({@code endedAt}, {@code endReason}; {@code endDate}, the
 * patient's last day of care in their time zone). Never holds the invitation's code nor its hash, nor the clinician's
 * end note, so no answer built from it can show them.
 */
public record Enrollment(UUID enrollmentId, String patientId, String programId, int programVersion,
                         LocalDate startDate, String timezone, String clinicianId, Status status,
                         Instant invitedAt, Instant expiresAt, Instant acceptedAt, Instant endedAt, String endReason,
                         LocalDate endDate) {

    /** Today where the patient lives: the day prescriptions and the end of care are counted in. */
    public LocalDate today() {
        return LocalDate.now(ZoneId.of(timezone));
    }

    public enum Status {
        /** Invited; the patient has not accepted yet. The clinician sees nothing of the patient. */
        PENDING,
        /** Accepted by the patient: the clinician treats them. At most one per patient. */
        ACTIVE,
        /** Ended by the clinician (or replaced by a newer enrollment, before invitations existed). */
        ENDED,
        /** Ended by the patient: consent withdrawn, or the invitation declined. */
        REVOKED,
        /** Five wrong codes were tried; the invitation cannot be accepted any more. */
        LOCKED,
        /** The same clinician invited the patient again; this invitation's code no longer works. */
        SUPERSEDED,
        /** A pending invitation past {@code expiresAt}; never stored, shown for PENDING rows that ran out. */
        EXPIRED
    }
}
