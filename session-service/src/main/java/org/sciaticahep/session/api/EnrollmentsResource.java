package org.sciaticahep.session.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.sciaticahep.session.domain.CareTeam;
import org.sciaticahep.session.domain.Enrollment;
import org.sciaticahep.session.domain.EnrollmentRequest;
import org.sciaticahep.session.domain.Enrollments;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Roles;

@Path("/patients/{patientId}/enrollments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EnrollmentsResource {

    @Inject
    Enrollments enrollments;

    @Inject
    CareTeam access;

    @POST
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "Enroll a patient in a program from a start date, counted in the patient's time zone; "
            + "a clinician enrolls patients with themselves")
    public Uni<Response> enroll(@PathParam("patientId") String patientId, EnrollmentRequest request) {
        if (request != null && request.clinicianId() != null && !request.clinicianId().equals(access.callerId())) {
            throw ProblemException.forbidden("a clinician enrolls patients with themselves, not with " + request.clinicianId());
        }
        // a new patient may be enrolled by any clinician; one already enrolled only by a clinician treating them,
        // so that enrolling is never a way into another clinician's patient's data
        return enrollments.of(patientId).chain(existing -> existing.isEmpty() ? Uni.createFrom().voidItem()
                : access.requireClinician(patientId)).chain(() -> created(patientId, request));
    }

    private Uni<Response> created(String patientId, EnrollmentRequest request) {
        return enrollments.enroll(patientId, request).map(outcome -> outcome.created()
                ? Response.created(URI.create("/patients/" + patientId + "/enrollments")).entity(outcome.enrollment()).build()
                : Response.ok(outcome.enrollment()).build());
    }

    @GET
    @RolesAllowed({Roles.PATIENT, Roles.CLINICIAN})
    @Operation(summary = "A patient's enrollments, oldest first")
    public Uni<List<Enrollment>> list(@PathParam("patientId") String patientId) {
        return access.requirePatientOrClinician(patientId).chain(() -> enrollments.of(patientId));
    }
}
