package org.sciaticahep.session.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.session.domain.CareTeam;
import org.sciaticahep.session.domain.ItemChange;
import org.sciaticahep.session.domain.PrescriptionRequest;
import org.sciaticahep.session.domain.Prescriptions;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Roles;
import org.sciaticahep.support.Violation;

/** The prescription of the patient's active enrollment: read by the patient and their clinician, written by the clinician. */
@Path("/patients/{patientId}/prescription")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PrescriptionResource {

    /** Why the clinician pauses, resumes or stops an exercise, and from which day (today in the patient's time zone by default). */
    public record StatusChange(String reason, LocalDate effectiveFrom) {
    }

    @Inject
    Prescriptions prescriptions;

    @Inject
    CareTeam access;

    @Inject
    CatalogCopy catalog;

    @Inject
    ObjectMapper json;

    @GET
    @RolesAllowed({Roles.PATIENT, Roles.CLINICIAN})
    @Operation(summary = "The current version of the prescription (the newest, which may take effect later), or with "
            + "on=YYYY-MM-DD the version in force that day in the patient's time zone")
    public Uni<Prescription> current(@PathParam("patientId") String patientId, @QueryParam("on") String on) {
        LocalDate day = on == null ? null : date(on);
        return access.requirePatientOrClinician(patientId)
                .chain(() -> day == null ? prescriptions.current(patientId) : prescriptions.inForce(patientId, day))
                .map(w -> Prescription.of(w, catalog));
    }

    @GET
    @Path("/versions")
    @RolesAllowed({Roles.PATIENT, Roles.CLINICIAN})
    @Operation(summary = "Every version of the prescription, oldest first")
    public Uni<List<Prescription>> versions(@PathParam("patientId") String patientId) {
        return access.requirePatientOrClinician(patientId)
                .chain(() -> prescriptions.versions(patientId))
                .map(all -> all.stream().map(w -> Prescription.of(w, catalog)).toList());
    }

    @PUT
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "The treating clinician writes the next version, whole: expectedVersion is the version read "
            + "(409 when another was written since); effectiveFrom from today (the default) to 365 days ahead; a version "
            + "scheduled after effectiveFrom is 409 unless replaceScheduled is true")
    public Uni<Prescription> write(@PathParam("patientId") String patientId,
                                  @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "a step up and a pause, from tomorrow", value = "{\"expectedVersion\":1,\"effectiveFrom\":\"2026-12-03\",\"schedule\":{\"timesPerDay\":1,\"daysOfWeek\":[\"MONDAY\",\"WEDNESDAY\",\"FRIDAY\"]},\"items\":[{\"exerciseId\":\"pelvic-tilt\",\"status\":\"ACTIVE\",\"dosage\":{\"sets\":1,\"reps\":{\"min\":12,\"max\":12},\"holdSeconds\":{\"min\":10,\"max\":30},\"perSide\":false},\"reason\":\"Three easy weeks: next step\"},{\"exerciseId\":\"glute-bridge\",\"status\":\"PAUSED\",\"dosage\":{\"sets\":1,\"reps\":{\"min\":8,\"max\":10},\"perSide\":false},\"reason\":\"Pain worse after it\"}]}")))
                                  PrescriptionRequest request) {
        return access.requireClinician(patientId)
                .chain(() -> prescriptions.write(patientId, access.callerId(), request))
                .map(w -> Prescription.of(w, catalog));
    }

    @POST
    @Path("/items/{exerciseId}/{action: pause|resume|stop}")
    @Consumes(MediaType.WILDCARD) // the body may be left out, and some clients then send a content type of their own
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "From effectiveFrom on, an ACTIVE exercise is PAUSED (pause), a PAUSED one ACTIVE again (resume), "
            + "an ACTIVE or PAUSED one STOPPED (stop): the next version, on the version in force that day, and a pause or "
            + "stop in each version scheduled later; optional body {\"reason\": \"…\", \"effectiveFrom\": \"YYYY-MM-DD\"}")
    public Uni<Prescription> changeItem(@PathParam("patientId") String patientId, @PathParam("exerciseId") String exerciseId,
                                        @PathParam("action") String action,
                                        @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = StatusChange.class), examples = @ExampleObject(name = "paused from tomorrow", value = "{\"reason\":\"Pain worse after it\",\"effectiveFrom\":\"2026-12-03\"}")))
                                        String body) throws JsonProcessingException {
        return change(patientId, exerciseId, ItemChange.valueOf(action.toUpperCase(Locale.ROOT)), body);
    }

    private Uni<Prescription> change(String patientId, String exerciseId, ItemChange change, String body)
            throws JsonProcessingException {
        StatusChange asked = OptionalBody.read(json, body, StatusChange.class);
        return access.requireClinician(patientId)
                .chain(() -> prescriptions.changeItem(patientId, access.callerId(), exerciseId, change,
                        asked == null ? null : asked.reason(), asked == null ? null : asked.effectiveFrom()))
                .map(w -> Prescription.of(w, catalog));
    }

    private static LocalDate date(String on) {
        try {
            return LocalDate.parse(on);
        } catch (DateTimeParseException e) {
            throw ProblemException.malformed(List.of(Violation.of("on", "must be a date such as 2026-11-25")),
                    "on must be a date");
        }
    }
}
