package org.sciaticahep.session.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.sciaticahep.session.store.EnrollmentStore;
import org.sciaticahep.support.PatientAccess;
import org.sciaticahep.support.ProblemException;

/**
 * A clinician treats a patient while an ACTIVE enrollment, which the patient accepted, names them, as this
 * service's own enrollments say. An invitation not yet accepted, or an enrollment ended or revoked, gives no access.
 */
@ApplicationScoped
public class CareTeam extends PatientAccess {

    @Inject
    EnrollmentStore enrollments;

    @Override
    protected Uni<Boolean> treats(String clinicianId, String patientId) {
        return enrollments.exists(patientId, clinicianId);
    }

    /** The very answer {@link PatientAccess} gives a clinician for a patient they do not treat. */
    public static ProblemException notTreating(String patientId) {
        return ProblemException.forbidden("not allowed to access this patient");
    }
}
