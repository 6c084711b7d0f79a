package org.sciaticahep.support.access;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.support.Page;
import org.sciaticahep.support.PatientAccess;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Roles;
import org.sciaticahep.support.Violation;

@Path("/patients/{patientId}/access-log")
@Produces(MediaType.APPLICATION_JSON)
@IfBuildProperty(name = AccessLog.ENABLED, stringValue = "true")
public class AccessLogResource {

    @Inject
    PatientAccess access;

    @Inject
    AccessLog log;

    @GET
    @RolesAllowed({Roles.PATIENT, Roles.CLINICIAN, Roles.ADMIN})
    @Operation(summary = "Who read the patient's data in this service, newest first: who and in which role, what, when, "
            + "allowed or refused (the patient, their clinician, admin); one page (page from 0, size 1-500, default 50) with "
            + "the total; until: only entries at or before this instant, to reach further back than paging does")
    public Uni<Page<AccessLog.Entry>> entries(@PathParam("patientId") String patientId,
                                              @QueryParam("page") @DefaultValue("0") int page,
                                              @QueryParam("size") @DefaultValue("50") int size,
                                              @QueryParam("until") String until) {
        if (!SessionEventContract.validId(patientId)) {
            throw ProblemException.malformed(List.of(Violation.of("patientId", "must be 1-64 letters, digits, '.', '_' or '-'")),
                    "patientId is not a valid id");
        }
        long offset = Page.offset(page, size, "page", "size");
        Instant before = instant(until);
        return access.requirePatientClinicianOrAdmin(patientId)
                .chain(() -> log.page(patientId, before, size, offset)).map(rows -> Page.of(page, size, rows));
    }

    private static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            Instant until = Instant.parse(value);
            if (until.isBefore(Instant.EPOCH) || until.isAfter(Instant.now().plus(java.time.Duration.ofDays(1)))) {
                throw ProblemException.malformed(List.of(Violation.of("until", "must be between 1970 and tomorrow")),
                        "until is out of range");
            }
            return until;
        } catch (DateTimeParseException e) {
            throw ProblemException.malformed(List.of(Violation.of("until", "must be an instant such as 2026-11-25T08:00:00Z")),
                    "until is not an instant");
        }
    }
}
