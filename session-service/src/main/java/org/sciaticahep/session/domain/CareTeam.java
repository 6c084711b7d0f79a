package org.sciaticahep.session.domain;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.sciaticahep.session.store.EnrollmentStore;
import org.sciaticahep.support.PatientAccess;

/** A clinician treats the patients enrolled with them, as this service's own enrollments say. */
@ApplicationScoped
public class CareTeam extends PatientAccess {

    @Inject
    EnrollmentStore enrollments;

    @Override
    protected Uni<Boolean> treats(String clinicianId, String patientId) {
        return enrollments.exists(patientId, clinicianId);
    }
}
