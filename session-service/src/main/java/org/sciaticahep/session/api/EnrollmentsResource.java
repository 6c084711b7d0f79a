package org.sciaticahep.session.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.sciaticahep.session.domain.CareTeam;
import org.sciaticahep.session.domain.Enrollment;
import org.sciaticahep.session.domain.EnrollmentRequest;
import org.sciaticahep.session.domain.Enrollments;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Roles;
import org.sciaticahep.support.Violation;

@Path("/patients/{patientId}/enrollments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EnrollmentsResource {

    /** The patient's answer to an invitation: the code the clinician gave them. */
    public record Acceptance(String inviteCode) {
    }

    /**
     * Why the clinician ends an enrollment: RECOVERED, DISCHARGED, REFERRED or OTHER (the default); the patient's last
     * day of care in their time zone (today there by default); a note of the clinician's (at most 2,000 characters),
     * which is stored and shown in this answer only.
     */
    public record Ending(String reason, String note, LocalDate endDate) {
    }

    @Inject
    Enrollments enrollments;

    @Inject
    CareTeam access;

    @Inject
    ObjectMapper json;

    @POST
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "Invite a patient to a program from a start date, counted in the patient's time zone: "
            + "a pending enrollment with a one-time inviteCode (in this answer only) that the patient accepts within "
            + "14 days; a clinician invites patients to themselves")
    public Uni<Response> invite(@PathParam("patientId") String patientId,
                           @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "from Monday, in Berlin", value = "{\"programId\":\"sciatica-relief\",\"startDate\":\"2026-11-30\",\"timezone\":\"Europe/Berlin\",\"clinicianId\":\"c-001\"}")))
                           EnrollmentRequest request) {
        if (request != null && request.clinicianId() != null && !request.clinicianId().equals(access.callerId())) {
            throw ProblemException.forbidden("a clinician invites patients to themselves, not to another clinician");
        }
        // Any clinician may invite any patient id, and the answer is the same whether or not the patient exists or
        // is enrolled elsewhere: an invitation shows nothing until the patient accepts it.
        return enrollments.invite(patientId, access.callerId(), request).map(invitation -> {
            Map<String, Object> answer = json.convertValue(invitation.enrollment(), FIELDS);
            if (invitation.inviteCode() != null) {
                answer.put("inviteCode", invitation.inviteCode());
            }
            return (invitation.created()
                    ? Response.created(URI.create("/patients/" + patientId + "/enrollments"))
                    : Response.ok()).entity(answer).build();
        });
    }

    @POST
    @Path("/{enrollmentId}/accept")
    @RolesAllowed(Roles.PATIENT)
    @Operation(summary = "The patient accepts an invitation with its code: the enrollment starts and the clinician "
            + "treats the patient from now on")
    public Uni<Enrollment> accept(@PathParam("patientId") String patientId, @PathParam("enrollmentId") String enrollmentId,
                                  @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = Acceptance.class), examples = @ExampleObject(name = "the code the clinician gave", value = "{\"inviteCode\":\"7KQ2-X9PD-M3TA\"}")))
                                  String body) throws JsonProcessingException {
        access.requirePatient(patientId);
        Acceptance acceptance = OptionalBody.read(json, body, Acceptance.class);
        return enrollments.accept(patientId, enrollmentId, acceptance == null ? null : acceptance.inviteCode());
    }

    @POST
    @Path("/{enrollmentId}/revoke")
    @Consumes(MediaType.WILDCARD) // the body may be left out, and some clients then send a content type of their own
    @RolesAllowed(Roles.PATIENT)
    @Operation(summary = "The patient ends an enrollment or declines an invitation (no body, or {}); "
            + "the clinician sees nothing of the patient any more")
    public Uni<Enrollment> revoke(@PathParam("patientId") String patientId, @PathParam("enrollmentId") String enrollmentId,
                                  @RequestBody(required = false, content = @Content(mediaType = "application/json",
                                          examples = @ExampleObject(name = "no fields", value = "{}")))
                                  String body) throws JsonProcessingException {
        access.requirePatient(patientId);
        requireNoFields(body);
        return enrollments.revoke(patientId, enrollmentId);
    }

    @POST
    @Path("/{enrollmentId}/end")
    @Consumes(MediaType.WILDCARD) // the body may be left out, and some clients then send a content type of their own
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "The clinician of an enrollment ends it, or withdraws their invitation; optional body "
            + "{\"reason\": \"RECOVERED|DISCHARGED|REFERRED|OTHER\", \"note\": \"…\", \"endDate\": \"YYYY-MM-DD\"}: "
            + "the last day of care, from the start (or today, if earlier) to today in the patient's time zone; "
            + "the note is in this answer (endNote) and nowhere else")
    public Uni<Map<String, Object>> end(@PathParam("patientId") String patientId, @PathParam("enrollmentId") String enrollmentId,
                                        @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = Ending.class), examples = @ExampleObject(name = "recovered", value = "{\"reason\":\"RECOVERED\",\"note\":\"Pain free for two weeks\",\"endDate\":\"2026-12-20\"}")))
                                        String body) throws JsonProcessingException {
        Ending ending = OptionalBody.read(json, body, Ending.class);
        String note = ending == null ? null : ending.note();
        return enrollments.end(patientId, enrollmentId, access.callerId(), ending == null ? null : ending.reason(), note,
                ending == null ? null : ending.endDate()).map(ended -> {
            // the caller's own note, back to the caller: neither the patient's list nor any event holds it
            Map<String, Object> answer = json.convertValue(ended, FIELDS);
            answer.put("endNote", note);
            return answer;
        });
    }

    @GET
    @RolesAllowed({Roles.PATIENT, Roles.CLINICIAN})
    @Operation(summary = "A patient's enrollments and invitations, oldest first (never an invite code)")
    public Uni<List<Enrollment>> list(@PathParam("patientId") String patientId) {
        return access.requirePatientOrClinician(patientId).chain(() -> enrollments.of(patientId));
    }

    private void requireNoFields(String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return;
        }
        JsonNode node = json.readTree(body);
        if (!node.isObject()) {
            throw ProblemException.malformed(List.of(Violation.of("body", "must be empty or {}")), "revoking takes no fields");
        }
        List<Violation> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            unknown.add(Violation.of(names.next(), "is not a known field"));
        }
        if (!unknown.isEmpty()) {
            throw ProblemException.malformed(unknown, "revoking takes no fields");
        }
    }

    private static final TypeReference<LinkedHashMap<String, Object>> FIELDS = new TypeReference<>() {
    };
}
