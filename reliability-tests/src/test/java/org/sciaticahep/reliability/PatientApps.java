package org.sciaticahep.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Many patients' apps, posting what their patients did at a steady rate, as phones do: a batch that got no
 * answer (connection refused, reset, timed out, 503) is sent again, with the same event ids, until it is answered.
 * Every planned event is known in advance, so what insights should show is known too.
 *
 * <p>Each patient was enrolled {@value #DAYS} days ago (no rule about the 7th day or later applies yet, even if the
 * run crosses midnight). Their first
 * event is a severe pain report on day 0 (a SEVERE_PAIN flag, nothing else); then each event completes one
 * exercise of the program on one past day, each (exercise, day) once: adherence's completed count equals the
 * number of exercise events insights applied, and an event counted twice would show. The days go from yesterday
 * back, as a phone catching up would send them: a patient's first batch holds the severe report and exercises of
 * yesterday, so however few batches a slow run gets through, no quiet-spell flag is left at the end (days forward,
 * a patient cut off after day 1 kept one).
 */
final class PatientApps {

    static final int DAYS = 5;
    static final String PROGRAM = "sciatica-relief";
    static final List<String> EXERCISES = List.of("knee-to-chest", "glute-bridge", "sitting-pigeon-pose",
            "sitting-trunk-stretch", "childs-pose", "prone-extension", "pelvic-tilt");
    static final Set<String> PER_SIDE = Set.of("knee-to-chest", "sitting-pigeon-pose", "sitting-trunk-stretch");
    static final int BATCH = 5;
    static final int THREADS = 6;

    /** One event an app will post. */
    record Planned(UUID eventId, String patientId, boolean exercise, String json) {
    }

    final String clinician;
    final List<String> patients = new ArrayList<>();
    final LocalDate startDate = LocalDate.now(ZoneOffset.UTC).minusDays(DAYS);
    final Map<UUID, Planned> planned = new ConcurrentHashMap<>();
    final Set<UUID> sent = ConcurrentHashMap.newKeySet();
    final Set<UUID> accepted = ConcurrentHashMap.newKeySet();
    /** Ids answered ACCEPTED more than once: session-service would have counted them twice. */
    final Set<UUID> acceptedTwice = ConcurrentHashMap.newKeySet();

    private final Map<String, List<Planned>> plans = new ConcurrentHashMap<>();
    private final Map<String, List<Planned>> inOrder = new ConcurrentHashMap<>();
    private final Set<UUID> seenAccepted = ConcurrentHashMap.newKeySet();
    private final WholeSystem system;
    private final ObjectMapper json = new ObjectMapper();
    private ExecutorService workers;
    private volatile boolean stopping;
    /** What ended a worker early (an answer no app would retry): named when the apps stop, not lost in a Future. */
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

    /** {@code count} new patients of a new clinician, named after the scenario, enrolled through session-service. */
    PatientApps(WholeSystem system, String scenario, int count) throws Exception {
        this.system = system;
        this.clinician = "c-" + scenario;
        for (int i = 0; i < count; i++) {
            String patient = scenario + "-" + i;
            patients.add(patient);
            plans.put(patient, plan(patient));
            inOrder.put(patient, List.copyOf(plans.get(patient)));
            String enrollment = "{\"programId\":\"" + PROGRAM + "\",\"startDate\":\"" + startDate + "\",\"timezone\":\"UTC\","
                    + "\"clinicianId\":\"" + clinician + "\"}";
            // the clinician invites, the patient's app accepts with the code
            HttpResponse<String> invited = system.post("session-service", "/patients/" + patient + "/enrollments", enrollment,
                    system.tokens.clinician(clinician));
            if (invited.statusCode() != 201) {
                throw new IllegalStateException("inviting " + patient + " answered " + invited.statusCode());
            }
            JsonNode invitation = json.readTree(invited.body());
            HttpResponse<String> accepted = system.post("session-service", "/patients/" + patient + "/enrollments/"
                            + invitation.path("enrollmentId").asText() + "/accept",
                    "{\"inviteCode\":\"" + invitation.path("inviteCode").asText() + "\"}", system.tokens.patient(patient));
            if (accepted.statusCode() != 200) {
                throw new IllegalStateException("accepting for " + patient + " answered " + accepted.statusCode());
            }
        }
    }

    private List<Planned> plan(String patient) {
        List<Planned> events = new ArrayList<>();
        UUID severe = UUID.randomUUID();
        events.add(new Planned(severe, patient, false, "{\"eventId\":\"" + severe + "\",\"type\":\"PAIN_REPORTED\",\"occurredAt\":\""
                + startDate.atTime(7, 30).atOffset(ZoneOffset.UTC) + "\",\"score\":8,\"location\":\"BUTTOCK\",\"side\":\"LEFT\","
                + "\"context\":\"CHECK_IN\"}"));
        for (int day = DAYS - 1; day >= 0; day--) {
            for (int e = 0; e < EXERCISES.size(); e++) {
                String exercise = EXERCISES.get(e);
                UUID id = UUID.randomUUID();
                events.add(new Planned(id, patient, true, "{\"eventId\":\"" + id + "\",\"type\":\"EXERCISE_COMPLETED\",\"occurredAt\":\""
                        + startDate.plusDays(day).atTime(8, e).atOffset(ZoneOffset.UTC) + "\",\"exerciseId\":\"" + exercise + "\","
                        + (PER_SIDE.contains(exercise) ? "\"side\":\"BOTH\"," : "") + "\"sets\":1,\"reps\":10}"));
            }
        }
        events.forEach(p -> planned.put(p.eventId(), p));
        return events;
    }

    /**
     * Starts posting, about {@code eventsPerSecond} in all, in batches of {@value #BATCH} per patient in plan
     * order, to the session-service instances {@code targets} names (each patient's batches to them in turn).
     */
    void start(Supplier<List<String>> targets, int eventsPerSecond) {
        workers = Executors.newFixedThreadPool(THREADS);
        long pauseMillis = 1000L * BATCH * THREADS / eventsPerSecond;
        for (int w = 0; w < THREADS; w++) {
            List<String> mine = new ArrayList<>();
            for (int i = w; i < patients.size(); i += THREADS) {
                mine.add(patients.get(i));
            }
            workers.submit(() -> {
                try {
                    work(mine, targets, pauseMillis);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            });
        }
    }

    private void work(List<String> mine, Supplier<List<String>> targets, long pauseMillis) {
        while (!stopping) {
            boolean any = false;
            for (String patient : mine) {
                List<Planned> plan = plans.get(patient);
                if (stopping || plan.isEmpty()) {
                    continue;
                }
                List<Planned> batch = new ArrayList<>(plan.subList(0, Math.min(BATCH, plan.size())));
                List<String> instances = targets.get();
                deliver(patient, batch, () -> instances.get(Math.floorMod(turnOf(patient), instances.size())));
                plan.subList(0, batch.size()).clear();
                any = true;
                sleep(pauseMillis);
            }
            if (!any) {
                return;
            }
        }
    }

    private final Map<String, AtomicInteger> turns = new ConcurrentHashMap<>();

    /** Which instance a patient's next batch goes to: each patient's batches go to the instances in turn. */
    private int turnOf(String patient) {
        return turns.computeIfAbsent(patient, p -> new AtomicInteger()).getAndIncrement();
    }

    /** Posts the batch until it is answered with 202, the same body every time. */
    private void deliver(String patient, List<Planned> batch, Supplier<String> target) {
        String body = "[" + String.join(",", batch.stream().map(Planned::json).toList()) + "]";
        batch.forEach(p -> sent.add(p.eventId()));
        String token = system.tokens.patient(patient);
        while (true) {
            try {
                HttpResponse<String> answer = system.post(target.get(), "/patients/" + patient + "/events", body, token);
                if (answer.statusCode() == 202) {
                    for (JsonNode event : json.readTree(answer.body()).path("events")) {
                        UUID id = UUID.fromString(event.path("eventId").asText());
                        accepted.add(id);
                        if ("ACCEPTED".equals(event.path("status").asText()) && !seenAccepted.add(id)) {
                            acceptedTwice.add(id);
                        }
                    }
                    return;
                }
                if (answer.statusCode() != 503) {
                    throw new IllegalStateException(patient + ": " + answer.statusCode() + " " + answer.body());
                }
            } catch (IOException e) {
                // no answer: the app keeps the batch and tries again
            }
            sleep(250);
        }
    }

    /** Stops taking new batches, lets every unanswered one be delivered, and waits for the workers. */
    void stop() throws InterruptedException {
        stopping = true;
        workers.shutdown();
        if (!workers.awaitTermination(3, TimeUnit.MINUTES)) {
            throw new IllegalStateException("batches still unanswered after 3 minutes");
        }
        throwFirstFailure();
    }

    private void throwFirstFailure() {
        if (!failures.isEmpty()) {
            IllegalStateException failed = new IllegalStateException(failures.size() + " app(s) gave up: " + failures.get(0).getMessage());
            failures.forEach(failed::addSuppressed);
            throw failed;
        }
    }

    /** Posts every planned event, then returns. */
    void postEverything(Supplier<List<String>> targets, int eventsPerSecond) throws InterruptedException {
        start(targets, eventsPerSecond);
        finish();
    }

    /** Waits until the apps started have posted their whole plan. */
    void finish() throws InterruptedException {
        workers.shutdown();
        if (!workers.awaitTermination(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("not everything was posted within 5 minutes");
        }
        throwFirstFailure();
    }

    /**
     * Posts the first patient's next event (until it is answered) and waits until insights applied it: how long
     * after {@code since} an event goes the whole way through.
     */
    Duration endToEnd(Instant since) throws Exception {
        String patient = patients.get(0);
        Planned next = plans.get(patient).remove(0);
        deliver(patient, List.of(next), () -> "session-service");
        Instant deadline = Instant.now().plus(Tally.CATCH_UP);
        while (!system.applied(List.of(next.eventId())) && Instant.now().isBefore(deadline)) {
            sleep(100);
        }
        if (!system.applied(List.of(next.eventId()))) {
            throw new IllegalStateException("an event posted after the repair was not applied within " + Tally.CATCH_UP);
        }
        return Duration.between(since, Instant.now());
    }

    /** The ids of the patient's events that were posted, in the order they were posted. */
    List<String> postedInOrder(String patient) {
        return inOrder.get(patient).stream().filter(p -> sent.contains(p.eventId())).map(p -> p.eventId().toString()).toList();
    }

    List<UUID> acceptedOf(String patient, boolean exercise) {
        List<UUID> ids = new ArrayList<>();
        for (UUID id : accepted) {
            Planned p = planned.get(id);
            if (p.patientId().equals(patient) && p.exercise() == exercise) {
                ids.add(id);
            }
        }
        return Collections.unmodifiableList(ids);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
