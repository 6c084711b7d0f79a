package org.sciaticahep.session.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.sciaticahep.session.domain.CareTeam;
import org.sciaticahep.session.domain.EventKind;
import org.sciaticahep.session.domain.AdviceTexts;
import org.sciaticahep.session.domain.Ids;
import org.sciaticahep.session.domain.SessionRecorder;
import org.sciaticahep.session.domain.SubmittedEvent;
import org.sciaticahep.session.store.EventLog;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Roles;
import org.sciaticahep.support.Violations;

@Path("/patients/{patientId}/events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PatientEventsResource {

    static final int MAX_PAGE_SIZE = 200;
    static final int MAX_OFFSET = 10_000;

    @Inject
    SessionRecorder recorder;

    @Inject
    EventLog log;

    @Inject
    ObjectMapper json;

    @Inject
    CareTeam access;

    @POST
    @RolesAllowed(Roles.PATIENT)
    @Operation(summary = "Record an app's queue of events (1-500): all stored, or none; retries are safe. A pain report "
            + "that meets a safety rule gets its advice in the receipt, in the Accept-Language (English or German)")
    public Uni<Response> record(@PathParam("patientId") String patientId,
                                @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "a morning check-in and an exercise", value = "[{\"eventId\":\"3f1c6a0e-1b7a-4c55-9e0a-5b8f5d0c2a11\",\"type\":\"PAIN_REPORTED\",\"occurredAt\":\"2026-11-25T08:00:00+01:00\",\"score\":4,\"location\":\"BUTTOCK\",\"side\":\"LEFT\",\"context\":\"CHECK_IN\"},{\"eventId\":\"8d2e7f4b-6c1a-4f0e-b3d2-9a7c1e5f3b22\",\"type\":\"EXERCISE_COMPLETED\",\"occurredAt\":\"2026-11-25T08:20:00+01:00\",\"exerciseId\":\"knee-to-chest\",\"side\":\"LEFT\",\"sets\":1,\"reps\":3,\"holdSeconds\":25,\"difficulty\":2},{\"eventId\":\"0b6f2c9e-2d4a-4b8e-a1f3-7e9d5c3b1a44\",\"type\":\"PAIN_REPORTED\",\"occurredAt\":\"2026-11-25T08:30:00+01:00\",\"score\":4,\"location\":\"BUTTOCK\",\"side\":\"LEFT\",\"context\":\"AFTER_EXERCISE\",\"exerciseId\":\"knee-to-chest\"}]")))
                                List<SubmittedEvent> events,
                                @HeaderParam(HttpHeaders.ACCEPT_LANGUAGE) String acceptLanguage) {
        access.requirePatient(patientId);
        Locale language = AdviceTexts.language(acceptLanguage);
        return recorder.record(patientId, events, language).map(receipt -> Response.accepted(receipt)
                .header(HttpHeaders.CONTENT_LANGUAGE, language.getLanguage()).build());
    }

    /** A page of a patient's events, newest first. */
    public record EventPage(List<Map<String, Object>> items, int page, int size, long total) {
    }

    @GET
    @RolesAllowed({Roles.PATIENT, Roles.CLINICIAN})
    @Operation(summary = "A patient's events, newest first, optionally between from and to (ISO-8601) and of one type")
    public Uni<EventPage> list(@PathParam("patientId") String patientId,
                               @QueryParam("from") String from, @QueryParam("to") String to,
                               @QueryParam("type") String type,
                               @QueryParam("page") @DefaultValue("0") int page,
                               @QueryParam("size") @DefaultValue("50") int size) {
        Ids.checkPath(patientId, "patientId");
        Violations v = Violations.collect();
        Instant since = instant(from, "from", Instant.EPOCH, v);
        Instant until = instant(to, "to", Instant.parse("9999-12-31T00:00:00Z"), v);
        String ceType = null;
        if (type != null) {
            try {
                ceType = EventKind.valueOf(type).cloudEventType();
            } catch (IllegalArgumentException e) {
                v.add("type", "must be EXERCISE_COMPLETED, PAIN_REPORTED, ENROLLMENT_STARTED, ENROLLMENT_ENDED or PRESCRIPTION_CHANGED");
            }
        }
        // OFFSET makes the database walk every row before the page: bounded, as a caller must not choose the work
        v.check(page >= 0 && (long) page * size <= MAX_OFFSET, "page", "must be between 0 and " + MAX_OFFSET + " / size (use from and to for older events)");
        v.check(size >= 1 && size <= MAX_PAGE_SIZE, "size", "must be between 1 and " + MAX_PAGE_SIZE);
        if (!v.isEmpty()) {
            throw ProblemException.malformed(v.list(), "invalid query parameters");
        }
        String filter = ceType;
        return access.requirePatientOrClinician(patientId).chain(() -> log.count(patientId, since, until, filter)
                .chain(total -> log.page(patientId, since, until, filter, page, size)
                        .map(events -> new EventPage(items(events), page, size, total))));
    }

    private List<Map<String, Object>> items(List<EventLog.StoredEvent> events) {
        List<Map<String, Object>> items = new ArrayList<>(events.size());
        for (EventLog.StoredEvent e : events) {
            try {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("type", EventKind.ofCloudEventType(e.type()).name());
                item.putAll(json.readValue(e.payloadJson(), STORED));
                items.add(item);
            } catch (JsonProcessingException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return items;
    }

    private static final TypeReference<Map<String, Object>> STORED = new TypeReference<>() {
    };

    private static Instant instant(String value, String name, Instant absent, Violations v) {
        if (value == null) {
            return absent;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            v.add(name, "must be an ISO-8601 date-time with offset, e.g. 2026-11-25T08:00:00+01:00");
            return absent;
        }
    }
}
