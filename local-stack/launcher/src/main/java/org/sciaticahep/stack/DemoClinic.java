package org.sciaticahep.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A synthetic clinic for a first look (./stack.sh --demo): two clinicians and 40 patients over the last 8 weeks,
 * each with a story a clinician knows, entered through the real APIs as clinicians and apps would (invitation,
 * consent, completions and pain reports, end of care). Made from a fixed seed: every run tells the same stories
 * (relative to today), and a run on a clinic that already has them adds nothing.
 */
public final class DemoClinic {

    /** What happens to a patient over their weeks of care. */
    public enum Story {
        /** Does the exercises, resting pain falls from 6-7 to 2-3: the usual 4-6 week course. */
        IMPROVING,
        /** Does most of them, pain stays about 5: "not improving" after six weeks. */
        PLATEAU,
        /** Improving, until pain after one exercise rises by 3 points in the last days: stop that exercise. */
        FLARE,
        /** Two days ago: leg weakness at a check-in, urgent care advised. */
        RED_FLAG,
        /** Was doing well, then nothing more for 5 to 20 days. */
        QUIET,
        /** Does about a quarter of the exercises. */
        LOW_ADHERENCE,
        /** Pain gone by week 5; their clinician ended care as recovered. */
        DISCHARGED
    }

    public static final List<String> CLINICIANS = List.of("c-demo-1", "c-demo-2");
    static final String PROGRAM = "sciatica-relief";
    static final long SEED = 20261201L;
    private static final List<String> ZONES = List.of("Europe/London", "Europe/Berlin", "Europe/Madrid", "America/New_York");
    private static final Map<Story, Integer> CAST = castOf();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One patient of the clinic, as the seed makes them. */
    public record Patient(String patientId, String clinicianId, Story story, ZoneId zone, LocalDate startDate) {
    }

    private final URI session;
    private final Tokens tokens;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public DemoClinic(URI session, Tokens tokens, PrintStream log) {
        // a demo for this machine's stack: never a clinic's real one
        if (!"localhost".equals(session.getHost()) && !"127.0.0.1".equals(session.getHost())) {
            throw new IllegalArgumentException("the demo clinic is entered into a stack on this machine only, not " + session);
        }
        this.session = session;
        this.tokens = tokens;
        this.log = log;
    }

    /** The clinic's patients, in order: the same for every run of the same day. */
    public static List<Patient> patients(LocalDate today) {
        List<Patient> all = new ArrayList<>();
        int n = 0;
        for (Map.Entry<Story, Integer> cast : CAST.entrySet()) {
            for (int i = 0; i < cast.getValue(); i++, n++) {
                Random random = new Random(SEED + n);
                ZoneId zone = ZoneId.of(ZONES.get(random.nextInt(ZONES.size())));
                LocalDate start = today.minusDays(42 + random.nextInt(15));
                all.add(new Patient(String.format("demo-p-%02d", n + 1), CLINICIANS.get(n % 2), cast.getKey(), zone, start));
            }
        }
        return all;
    }

    /** Fills the clinic; answers how many events were posted (0 when it was there already). */
    public int fill() throws IOException, InterruptedException {
        int posted = 0;
        int skipped = 0;
        for (Patient p : patients(LocalDate.now())) {
            JsonNode enrollments = send("GET", "/patients/" + p.patientId() + "/enrollments", tokens.patient(p.patientId()), null, 200);
            if (enrollments.size() > 0) {
                skipped++;
                continue;
            }
            String enrollmentId = enroll(p);
            JsonNode prescription = send("GET", "/patients/" + p.patientId() + "/prescription", tokens.patient(p.patientId()), null, 200);
            List<ObjectNode> events = events(p, prescription, ZonedDateTime.now(p.zone()).minusMinutes(5));
            for (int from = 0; from < events.size(); from += 400) {
                ArrayNode batch = JSON.createArrayNode().addAll(events.subList(from, Math.min(events.size(), from + 400)));
                send("POST", "/patients/" + p.patientId() + "/events", tokens.patient(p.patientId()), batch, 202);
            }
            posted += events.size();
            if (p.story() == Story.DISCHARGED) {
                ObjectNode ending = JSON.createObjectNode().put("reason", "RECOVERED").put("endDate", p.startDate().plusDays(38).toString());
                send("POST", "/patients/" + p.patientId() + "/enrollments/" + enrollmentId + "/end", tokens.clinician(p.clinicianId()),
                        ending, 200);
            }
        }
        if (skipped > 0) {
            log.println("[demo] " + skipped + " of the demo patients were there already: left as they are");
        }
        return posted;
    }

    /** The clinician invites, the patient's app accepts with the code. */
    private String enroll(Patient p) throws IOException, InterruptedException {
        ObjectNode invitation = JSON.createObjectNode().put("programId", PROGRAM).put("startDate", p.startDate().toString())
                .put("timezone", p.zone().getId()).put("clinicianId", p.clinicianId());
        JsonNode invited = send("POST", "/patients/" + p.patientId() + "/enrollments", tokens.clinician(p.clinicianId()), invitation, 201);
        String enrollmentId = invited.path("enrollmentId").asText();
        send("POST", "/patients/" + p.patientId() + "/enrollments/" + enrollmentId + "/accept", tokens.patient(p.patientId()),
                JSON.createObjectNode().put("inviteCode", invited.path("inviteCode").asText()), 200);
        return enrollmentId;
    }

    /**
     * What the patient's app sent over their weeks, until {@code until}: a check-in each morning, and on scheduled
     * days each exercise of the prescription as its dosage says (each side of a per-side one), as often as the story
     * has them do it.
     */
    public static List<ObjectNode> events(Patient p, JsonNode prescription, ZonedDateTime until) {
        Random random = new Random(SEED * 31 + p.patientId().hashCode());
        LocalDate today = until.toLocalDate();
        long days = java.time.temporal.ChronoUnit.DAYS.between(p.startDate(), today);
        long lastDay = switch (p.story()) {
            case QUIET -> days - 5 - random.nextInt(16);
            case DISCHARGED -> 38;
            default -> days;
        };
        String location = random.nextBoolean() ? "BUTTOCK" : "THIGH";
        String side = random.nextBoolean() ? "LEFT" : "RIGHT";
        List<JsonNode> items = new ArrayList<>();
        prescription.path("items").forEach(i -> {
            if ("ACTIVE".equals(i.path("status").asText())) {
                items.add(i);
            }
        });
        if (items.isEmpty()) {
            return List.of();
        }
        String flaring = items.get(Math.min(1, items.size() - 1)).path("exerciseId").asText();
        int timesPerDay = Math.max(1, prescription.path("schedule").path("timesPerDay").asInt(1));
        List<String> scheduled = new ArrayList<>();
        prescription.path("schedule").path("daysOfWeek").forEach(d -> scheduled.add(d.asText()));
        List<ObjectNode> events = new ArrayList<>();
        for (long d = 0; d <= lastDay; d++) {
            LocalDate day = p.startDate().plusDays(d);
            double rest = restingPain(p.story(), d, days, random);
            boolean redFlagDay = p.story() == Story.RED_FLAG && d == days - 2;
            if (random.nextDouble() < 0.9 || redFlagDay) {
                ObjectNode checkIn = pain(p, d + "/check-in", at(day, 7, 30 + random.nextInt(20), p.zone()), (int) Math.round(rest),
                        location, side, "CHECK_IN");
                if (redFlagDay) {
                    checkIn.put("score", 7).putArray("redFlags").add("LEG_WEAKNESS");
                }
                add(events, checkIn, until);
            }
            boolean scheduledDay = scheduled.isEmpty() || scheduled.contains(day.getDayOfWeek().name());
            if (!scheduledDay || random.nextDouble() >= adherence(p.story())) {
                continue;
            }
            for (int session = 0; session < timesPerDay; session++) {
                int hour = session == 0 ? 9 : 18;
                for (JsonNode item : items) {
                    JsonNode dosage = item.path("dosage");
                    List<String> sides = dosage.path("perSide").asBoolean(false) ? List.of("LEFT", "RIGHT") : java.util.Collections.singletonList(null);
                    for (String s : sides) {
                        String what = d + "/" + session + "/" + item.path("exerciseId").asText() + "/" + s;
                        add(events, completion(p, what, at(day, hour, 5 + random.nextInt(30), p.zone()), item, s,
                                difficulty(p.story(), d, days)), until);
                    }
                }
                if (p.story() == Story.FLARE && d >= days - 4) {
                    // pain after this one exercise, 3 points over the morning's: the app says stop it
                    add(events, pain(p, d + "/" + session + "/after", at(day, hour, 50, p.zone()), (int) Math.min(10, Math.round(rest) + 3),
                            location, side, "AFTER_EXERCISE").put("exerciseId", flaring), until);
                }
            }
        }
        return events;
    }

    /** The morning's resting score of the story on day {@code d} of {@code days}. */
    static double restingPain(Story story, long d, long days, Random random) {
        double noise = random.nextGaussian() * 0.6;
        double week = d / 7.0;
        double pain = switch (story) {
            case IMPROVING, QUIET -> 6.5 - 4.0 * Math.min(1, week / 7);
            case PLATEAU -> 5.5;
            case FLARE -> 6 - 2.0 * Math.min(1, week / 7);
            case RED_FLAG -> 6 - 1.5 * Math.min(1, week / 7);
            case LOW_ADHERENCE -> 6 - 0.8 * Math.min(1, week / 7);
            case DISCHARGED -> 6.5 - 6.0 * Math.min(1, week / 5);
        };
        return Math.max(0, Math.min(10, pain + noise));
    }

    static double adherence(Story story) {
        return switch (story) {
            case IMPROVING, DISCHARGED -> 0.92;
            case PLATEAU, RED_FLAG -> 0.75;
            case FLARE, QUIET -> 0.85;
            case LOW_ADHERENCE -> 0.25;
        };
    }

    /** Hard at first, easier as the weeks pass for those who improve. */
    static int difficulty(Story story, long d, long days) {
        return switch (story) {
            case IMPROVING, DISCHARGED, QUIET -> d < 14 ? 4 : d < 28 ? 3 : 2;
            default -> 3;
        };
    }

    private static ObjectNode pain(Patient p, String what, OffsetDateTime at, int score, String location, String side, String context) {
        ObjectNode e = event(p, what, "PAIN_REPORTED", at);
        return e.put("score", score).put("location", location).put("side", side).put("context", context);
    }

    private static ObjectNode completion(Patient p, String what, OffsetDateTime at, JsonNode item, String side, int difficulty) {
        JsonNode dosage = item.path("dosage");
        ObjectNode e = event(p, what, "EXERCISE_COMPLETED", at).put("exerciseId", item.path("exerciseId").asText())
                .put("sets", dosage.path("sets").asInt(1)).put("reps", dosage.path("reps").path("max").asInt(1))
                .put("difficulty", difficulty);
        if (side != null) {
            e.put("side", side);
        }
        int hold = dosage.path("holdSeconds").path("max").asInt(0);
        if (hold > 0) {
            e.put("holdSeconds", hold);
        }
        return e;
    }

    /** An event's id names what it is (the patient's day of care, the session, the exercise and side): posted again, it is the same event. */
    private static ObjectNode event(Patient p, String what, String type, OffsetDateTime at) {
        UUID id = UUID.nameUUIDFromBytes(("demo/" + SEED + "/" + p.patientId() + "/" + p.startDate() + "/" + what)
                .getBytes(StandardCharsets.UTF_8));
        return JSON.createObjectNode().put("eventId", id.toString()).put("type", type).put("occurredAt", at.toString());
    }

    /** Only what has happened by then: the services refuse the future. */
    private static void add(List<ObjectNode> events, ObjectNode event, ZonedDateTime until) {
        if (!OffsetDateTime.parse(event.path("occurredAt").asText()).isAfter(until.toOffsetDateTime())) {
            events.add(event);
        }
    }

    private static OffsetDateTime at(LocalDate day, int hour, int minute, ZoneId zone) {
        return ZonedDateTime.of(day, LocalTime.of(hour, Math.min(59, minute)), zone).toOffsetDateTime();
    }

    private JsonNode send(String method, String path, String token, JsonNode body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(session.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            // busy, or its catalog copy not filled yet (a prescription's read answers 409 until then): again a moment
            // later; a write refused as a conflict is not tried again
            boolean notYet = answer.statusCode() == 503 || (answer.statusCode() == 409 && "GET".equals(method));
            if (notYet && attempt < 30) {
                Thread.sleep(1000);
                continue;
            }
            if (answer.statusCode() != expected) {
                throw new IOException(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return answer.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(answer.body());
        }
    }

    private static Map<Story, Integer> castOf() {
        Map<Story, Integer> cast = new EnumMap<>(Story.class);
        cast.put(Story.IMPROVING, 12);
        cast.put(Story.PLATEAU, 6);
        cast.put(Story.FLARE, 4);
        cast.put(Story.RED_FLAG, 2);
        cast.put(Story.QUIET, 5);
        cast.put(Story.LOW_ADHERENCE, 5);
        cast.put(Story.DISCHARGED, 6);
        return cast;
    }
}
