package org.sciaticahep.support;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * Who may see one patient's data: the patient themselves, and the clinicians they are enrolled with. Each service
 * answers "is this clinician treating this patient?" from its own store, so the check holds while the others are down.
 *
 * <p>Denials are 403 whether or not the patient exists, so a token cannot probe for patient ids.
 */
public abstract class PatientAccess {

    @Inject
    protected SecurityIdentity caller;

    /** Whether some enrollment of {@code patientId} names {@code clinicianId}. */
    protected abstract Uni<Boolean> treats(String clinicianId, String patientId);

    /** The caller's own id: the token's subject. */
    public String callerId() {
        return caller.getPrincipal().getName();
    }

    public boolean isClinician() {
        return caller.hasRole(Roles.CLINICIAN);
    }

    /** Only the patient themselves (an app writes only its own patient's events). */
    public void requirePatient(String patientId) {
        if (!isPatient(patientId)) {
            throw forbidden(patientId);
        }
    }

    /** The patient themselves, or a clinician treating them. */
    public Uni<Void> requirePatientOrClinician(String patientId) {
        if (isPatient(patientId)) {
            return Uni.createFrom().voidItem();
        }
        return requireClinician(patientId);
    }

    /** A clinician treating the patient, or an admin (who exports a patient's whole record). */
    public Uni<Void> requireClinicianOrAdmin(String patientId) {
        if (caller.hasRole(Roles.ADMIN)) {
            return Uni.createFrom().voidItem();
        }
        return requireClinician(patientId);
    }

    /** The patient themselves, a clinician treating them, or an admin (the patient's access log). */
    public Uni<Void> requirePatientClinicianOrAdmin(String patientId) {
        if (isPatient(patientId)) {
            return Uni.createFrom().voidItem();
        }
        return requireClinicianOrAdmin(patientId);
    }

    /** Only a clinician treating the patient. */
    public Uni<Void> requireClinician(String patientId) {
        if (!isClinician()) {
            return Uni.createFrom().failure(forbidden(patientId));
        }
        return treats(callerId(), patientId).map(yes -> {
            if (!yes) {
                throw forbidden(patientId);
            }
            return null;
        });
    }

    private boolean isPatient(String patientId) {
        return caller.hasRole(Roles.PATIENT) && callerId().equals(patientId);
    }

    private ProblemException forbidden(String patientId) {
        // the id is not echoed: it is the caller's own text, and the same refusal whatever the patient
        return ProblemException.forbidden("not allowed to access this patient");
    }
}
