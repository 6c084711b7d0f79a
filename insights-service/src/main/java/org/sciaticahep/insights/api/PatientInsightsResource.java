package org.sciaticahep.insights.api;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.insights.domain.Adherence;
import org.sciaticahep.insights.domain.CareTeam;
import org.sciaticahep.insights.domain.PainTrend;
import org.sciaticahep.insights.domain.ProgressionRules;
import org.sciaticahep.insights.domain.ReviewFlag;
import org.sciaticahep.insights.domain.TodayPlan;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Roles;
import org.sciaticahep.support.Violation;

@Path("/patients/{patientId}")
@Produces(MediaType.APPLICATION_JSON)
public class PatientInsightsResource {

    @Inject
    PatientViews views;

    @Inject
    CareTeam access;

    @Inject
    FhirExport fhir;

    static final String FHIR_JSON = "application/fhir+json";
    private final Semaphore exports = new Semaphore(2);

    @GET
    @Path("adherence")
    @RolesAllowed({Roles.PATIENT, Roles.CLINICIAN})
    @Operation(summary = "Completed over expected exercises, in all, per local day and per exercise (from/to: local dates)")
    public Uni<Adherence.Report> adherence(@PathParam("patientId") String patientId, @QueryParam("from") String from,
                                           @QueryParam("to") String to) {
        checkPatientId(patientId);
        LocalDate since = date(from, "from");
        LocalDate until = date(to, "to");
        return access.requirePatientOrClinician(patientId).chain(() -> views.adherence(patientId, since, until));
    }

    @GET
    @Path("today")
    @RolesAllowed({Roles.PATIENT, Roles.CLINICIAN})
    @Operation(summary = "The app's home screen: the patient's local date, each exercise of the prescription in force today "
            + "(how to do it, dosage, status), what was done today per side and what remains, and the day's completion")
    public Uni<TodayPlan.Today> today(@PathParam("patientId") String patientId) {
        checkPatientId(patientId);
        return access.requirePatientOrClinician(patientId).chain(() -> views.today(patientId));
    }

    @GET
    @Path("pain")
    @RolesAllowed({Roles.PATIENT, Roles.CLINICIAN})
    @Operation(summary = "Baseline, latest, trailing 7-day mean, change from baseline, and the daily series of from..to "
            + "(local dates; by default the last 366 days of care)")
    public Uni<PainTrend.Summary> pain(@PathParam("patientId") String patientId, @QueryParam("from") String from,
                                       @QueryParam("to") String to) {
        checkPatientId(patientId);
        LocalDate since = date(from, "from");
        LocalDate until = date(to, "to");
        return access.requirePatientOrClinician(patientId).chain(() -> views.pain(patientId, since, until));
    }

    @GET
    @Path("flags")
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "Every flag of the patient, with who acknowledged and resolved it, when, and the note")
    public Uni<List<ReviewFlag>> flags(@PathParam("patientId") String patientId) {
        checkPatientId(patientId);
        return access.requireClinician(patientId).chain(() -> views.flags(patientId));
    }

    @GET
    @Path("progression")
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "Suggested dosage changes of the prescription in force: exercises ready for their next step (their "
            + "last 3 scheduled days done in full, difficulty at most 3 of 5, no pain with them in 7 days), and raised "
            + "ones to step back after pain got worse with them. Suggestions only: the clinician applies them as a new version")
    public Uni<List<ProgressionRules.Suggestion>> progression(@PathParam("patientId") String patientId) {
        checkPatientId(patientId);
        return access.requireClinician(patientId).chain(() -> views.suggestions(patientId));
    }

    @GET
    @Path("fhir")
    @Produces(FHIR_JSON)
    @RolesAllowed({Roles.CLINICIAN, Roles.ADMIN})
    @Operation(summary = "The patient's whole record as a FHIR R4 Bundle (collection) for an electronic health record: "
            + "CarePlan per enrollment with an activity per exercise of each prescription version, ActivityDefinition per "
            + "exercise version, Observation per pain report (LOINC 72514-3) and per completion, Flag per review flag")
    public Uni<Response> fhir(@PathParam("patientId") String patientId) {
        checkPatientId(patientId);
        return access.requireClinicianOrAdmin(patientId).chain(() -> {
            // a whole record and its Bundle are held at once: two exports at a time, so they cannot crowd out the rest
            if (!exports.tryAcquire()) {
                return Uni.createFrom().failure(ProblemException.unavailable("two exports are under way; try again shortly"));
            }
            // the permit goes back however the export ends: answered, failed, cancelled, or failing to start
            return Uni.createFrom().deferred(() -> views.record(patientId))
                    // encoding a year of reports takes tens of milliseconds: off the event loop
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .map(record -> Response.ok(fhir.json(record), FHIR_JSON + ";charset=UTF-8")
                            .header("Cache-Control", "no-store").build())
                    .onTermination().invoke(exports::release);
        });
    }

    /** An id that no patient can have is refused before anything is looked up (whatever token asks). */
    static void checkPatientId(String patientId) {
        if (!SessionEventContract.validId(patientId)) {
            throw ProblemException.malformed(List.of(Violation.of("patientId", "must be 1-64 letters, digits, '.', '_' or '-'")),
                    "patientId is not a valid id");
        }
    }

    static LocalDate date(String value, String name) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.malformed(List.of(Violation.of(name, "must be a date such as 2026-11-25")),
                    name + " is not a date");
        }
    }
}
