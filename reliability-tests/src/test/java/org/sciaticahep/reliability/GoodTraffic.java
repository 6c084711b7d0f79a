package org.sciaticahep.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Well-formed events of a few enrolled patients, posted through session-service as their apps would while the
 * attacks run (a batch every 300 ms, in turn) and after them: each must be accepted, and applied by insights
 * exactly once, within {@link #WITHIN}. Also enrolls patients (the clinician invites, the patient accepts).
 */
final class GoodTraffic {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A good event not applied within this is a stall. */
    static final Duration WITHIN = Duration.ofSeconds(60);

    private final WholeSystem system;
    private final List<String> patients;
    private final Consumer<String> serverError;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Every patient good events were posted for (the exactly-once count covers all their facts). */
    final Set<String> withEvents = ConcurrentHashMap.newKeySet();
    final Set<UUID> sent = ConcurrentHashMap.newKeySet();
    final Set<UUID> accepted = ConcurrentHashMap.newKeySet();
    /** Good batches refused or never answered: none may be. */
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger turn = new AtomicInteger();
    private volatile boolean posting;
    private Thread poster;

    /** {@code serverError}: told of a 5xx to a good batch (charged to the attack running). */
    GoodTraffic(WholeSystem system, List<String> patients, Consumer<String> serverError) {
        this.system = system;
        this.patients = List.copyOf(patients);
        this.serverError = serverError;
    }

    /** An invitation as the clinician got it; enrollmentId and inviteCode null when it was refused. */
    record Invitation(int status, String enrollmentId, String inviteCode, String body) {
    }

    static Invitation invite(WholeSystem system, String patient, String clinician, LocalDate startDate) throws IOException {
        String request = "{\"programId\":\"" + PatientApps.PROGRAM + "\",\"startDate\":\"" + startDate
                + "\",\"timezone\":\"UTC\",\"clinicianId\":\"" + clinician + "\"}";
        HttpResponse<String> answer = system.post("session-service", "/patients/" + patient + "/enrollments", request,
                system.tokens.clinician(clinician));
        JsonNode body = answer.statusCode() / 100 == 2 ? JSON.readTree(answer.body()) : JSON.createObjectNode();
        return new Invitation(answer.statusCode(), body.path("enrollmentId").asText(null), body.path("inviteCode").asText(null),
                answer.body());
    }

    /** The clinician invites, the patient accepts with the code: the enrollment's id. */
    static String enroll(WholeSystem system, String patient, String clinician, LocalDate startDate) throws IOException {
        Invitation invitation = invite(system, patient, clinician, startDate);
        if (invitation.status() != 201 && invitation.status() != 200) {
            throw new IllegalStateException("inviting " + patient + " answered " + invitation.status() + " " + invitation.body());
        }
        if (invitation.inviteCode() != null) {
            HttpResponse<String> accepted = system.post("session-service", "/patients/" + patient + "/enrollments/"
                    + invitation.enrollmentId() + "/accept", "{\"inviteCode\":\"" + invitation.inviteCode() + "\"}",
                    system.tokens.patient(patient));
            if (accepted.statusCode() != 200) {
                throw new IllegalStateException("accepting for " + patient + " answered " + accepted.statusCode() + " " + accepted.body());
            }
        }
        return invitation.enrollmentId();
    }

    /** Waits until insights has applied the patient's enrollment: the clinician may read their adherence. */
    void awaitTreating(String patient, String clinician) throws Exception {
        Instant deadline = Instant.now().plus(WITHIN);
        int status = 0;
        while (Instant.now().isBefore(deadline)) {
            status = get("insights-service", "/patients/" + patient + "/adherence", system.tokens.clinician(clinician)).statusCode();
            if (status == 200) {
                return;
            }
            PatientApps.sleep(200);
        }
        throw new IllegalStateException("insights did not show " + patient + " to " + clinician + " within " + WITHIN + ": " + status);
    }

    /** Waits until the patient's first flag is raised; its id. */
    String awaitFlag(String patient, String clinician) throws Exception {
        Instant deadline = Instant.now().plus(WITHIN);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> flags = get("insights-service", "/patients/" + patient + "/flags", system.tokens.clinician(clinician));
            if (flags.statusCode() == 200) {
                JsonNode list = JSON.readTree(flags.body());
                if (list.size() > 0) {
                    return list.get(0).path("flagId").asText();
                }
            }
            PatientApps.sleep(200);
        }
        throw new IllegalStateException("no flag was raised for " + patient + " within " + WITHIN);
    }

    HttpResponse<String> get(String instance, String path, String token) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(system.url(instance) + path)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    static String recent(int minutesAgo) {
        return OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(minutesAgo).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String exercise(UUID id, String exercise, String occurredAt) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"EXERCISE_COMPLETED\",\"occurredAt\":\"" + occurredAt + "\",\"exerciseId\":\""
                + exercise + "\"," + (PatientApps.PER_SIDE.contains(exercise) ? "\"side\":\"BOTH\"," : "") + "\"sets\":1,\"reps\":10}";
    }

    static String pain(UUID id, int score, String occurredAt) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"PAIN_REPORTED\",\"occurredAt\":\"" + occurredAt + "\",\"score\":" + score
                + ",\"location\":\"BUTTOCK\",\"side\":\"LEFT\",\"context\":\"CHECK_IN\"}";
    }

    /** One batch of the patient's app: an exercise done and a mild pain report. Its ids (accepted or not). */
    List<UUID> post(String patient) {
        int n = turn.getAndIncrement();
        UUID done = UUID.randomUUID();
        UUID felt = UUID.randomUUID();
        String at = recent(1 + n % 600);
        String exercise = PatientApps.EXERCISES.get(n % PatientApps.EXERCISES.size());
        List<UUID> ids = List.of(done, felt);
        deliver(patient, "[" + exercise(done, exercise, at) + "," + pain(felt, 2, at) + "]", ids);
        return ids;
    }

    /** A severe pain report (score 8): a SEVERE_PAIN flag for the patient's clinician. */
    List<UUID> postSeverePain(String patient) {
        UUID id = UUID.randomUUID();
        deliver(patient, "[" + pain(id, 8, recent(30)) + "]", List.of(id));
        return List.of(id);
    }

    /** The next good patient's next batch. */
    List<UUID> postNext() {
        return post(patients.get(Math.floorMod(turn.get(), patients.size())));
    }

    /** Posts until answered 202 (503 and no answer are tried again, as apps do), at most 30 s. */
    private boolean deliver(String patient, String body, List<UUID> ids) {
        sent.addAll(ids);
        withEvents.add(patient);
        String token = system.tokens.patient(patient);
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> answer = system.post("session-service", "/patients/" + patient + "/events", body, token);
                if (answer.statusCode() == 202) {
                    accepted.addAll(ids);
                    return true;
                }
                if (answer.statusCode() >= 500 && answer.statusCode() != 503) {
                    serverError.accept("a good batch of " + patient + " answered " + answer.statusCode());
                }
                if (answer.statusCode() != 503) {
                    failures.add(patient + ": a good batch answered " + answer.statusCode() + " " + Probes.printable(answer.body(), 200));
                    return false;
                }
            } catch (IOException e) {
                // no answer: the app keeps the batch and tries again
            }
            PatientApps.sleep(250);
        }
        failures.add(patient + ": a good batch got no 202 within 30 s");
        return false;
    }

    /** Posts a batch every 300 ms, the good patients in turn, until {@link #stopPosting}. */
    void startPosting() {
        posting = true;
        poster = new Thread(() -> {
            while (posting) {
                postNext();
                PatientApps.sleep(300);
            }
        }, "hostile-input-good-apps");
        poster.setDaemon(true);
        poster.start();
    }

    void stopPosting() throws InterruptedException {
        posting = false;
        if (poster != null) {
            poster.join(60_000);
        }
    }

    /** A fresh good event, posted now, goes the whole way (accepted, published, applied) within {@code within}. */
    boolean endToEnd(Duration within) throws SQLException {
        List<UUID> ids = postNext();
        return accepted.containsAll(ids) && notAppliedWithin(ids, within) == 0;
    }

    /** How many of these events insights has not applied after waiting up to {@code within} for them. */
    int notAppliedWithin(Collection<UUID> ids, Duration within) throws SQLException {
        List<UUID> list = List.copyOf(ids);
        if (list.isEmpty()) {
            return 0;
        }
        Instant deadline = Instant.now().plus(within);
        int applied = system.appliedCount(list);
        while (applied < list.size() && Instant.now().isBefore(deadline)) {
            PatientApps.sleep(200);
            applied = system.appliedCount(list);
        }
        return list.size() - applied;
    }

    /** The facts insights holds of the patients with good events: {rows, distinct event ids}. */
    int[] facts() throws SQLException {
        try (Connection db = system.database("insights");
             PreparedStatement facts = db.prepareStatement("""
                     SELECT count(*), count(DISTINCT event_id) FROM (
                         SELECT event_id FROM exercise_log WHERE patient_id = ANY(?)
                         UNION ALL SELECT event_id FROM pain_report WHERE patient_id = ANY(?)) f""")) {
            Array ids = db.createArrayOf("text", withEvents.toArray());
            facts.setArray(1, ids);
            facts.setArray(2, ids);
            try (ResultSet rs = facts.executeQuery()) {
                rs.next();
                return new int[] {rs.getInt(1), rs.getInt(2)};
            }
        }
    }
}
