package org.sciaticahep.benchmarks;

import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.sciaticahep.contracts.Topics;

/**
 * insights-service against a running stack: replay throughput (fill session-events with events of many patients,
 * then reset and replay everything on the topic) and end-to-end freshness (from a 202 of session-service to the
 * flag it causes being visible in insights, under a steady load of single events).
 *
 * <p>Options: {@code --replay-events N --replay-patients N} (the topic to replay: by default the 1,000,000
 * events over 10,000 patients, all of them one clinician's, 60 % of them with an open flag), {@code --patients N
 * --rate N --seconds N} (the freshness phase's load).
 */
public final class InsightsBenchmark {

    private static final String CLINICIAN = "c-bench";

    /** Every replay patient whose number modulo 5 is below this reports severe pain once: 60 % of them. */
    private static final int SEVERE_OF_FIVE = 3;

    private final Stack stack;
    private final int events;
    private final int patients;
    private final int loadPatients;
    private final int rate;
    private final int seconds;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    /** The one clinician of this run's replay patients, whose review queue and dashboard the read phase measures. */
    private final String replayClinician = "c-replay-" + run;
    private final Credentials credentials;

    InsightsBenchmark(Options o, Stack stack) {
        this.stack = stack;
        this.credentials = stack.credentials;
        events = o.integer("replay-events");
        patients = o.integer("replay-patients");
        // the freshness phase's load has its own default number of patients (the ingest phases' is 200)
        loadPatients = o.given("patients") ? o.integer("patients") : 1000;
        rate = o.integer("rate");
        seconds = o.integer("seconds");
    }

    /** The clinician every replay patient is enrolled with. */
    String replayClinician() {
        return replayClinician;
    }

    /** Replay patients with a severe pain report, so an open SEVERE_PAIN flag each. */
    int replayPatientsFlagged() {
        // the severe report replaces the patient's first pain report (its 3rd event), which needs 4 events a patient
        boolean reportsPain = Math.max(2, events / patients) > 3;
        return reportsPain ? patients / 5 * SEVERE_OF_FIVE + Math.min(patients % 5, SEVERE_OF_FIVE) : 0;
    }

    /** Adds this benchmark's rows to {@code figures}. */
    void run(Figures figures) throws Exception {
        fill();
        double settled = awaitQuiet(Duration.ofMinutes(30));
        long start = System.nanoTime();
        stack.send(credentials.asAdmin(HttpRequest.newBuilder(URI.create(stack.insights + "/admin/rebuild")))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        double[] replay = awaitGrowth(settled, Duration.ofMinutes(60), start);
        figures.add("replay: events applied from the topic", String.format("%,.0f in %.1f s", replay[0], replay[1]),
                events + " new events for " + patients + " patients of one clinician (" + replayPatientsFlagged()
                        + " with severe pain), plus what the topic held");
        figures.add("replay throughput", Figures.perSecond(replay[0] / replay[1]), "≥ 60,000 /s");
        double done = awaitRebuilt(Duration.ofMinutes(30), start);
        figures.add("rebuild done: replayed, then every patient's flags reconciled", String.format("%.1f s", done),
                "reads answer 503 until then");
        freshness(figures);
    }

    /**
     * Puts events on session-events as session-service would: an enrollment each (all with one clinician), then
     * pain and exercises; the first pain report of 60 % of the patients is severe (score 8), an open flag each.
     */
    private void fill() throws Exception {
        Properties p = new Properties();
        p.putAll(stack.kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays(30);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            int perPatient = Math.max(2, events / patients);
            for (int i = 0; i < patients; i++) {
                String patient = "replay-" + run + "-" + i;
                UUID enrollment = UUID.randomUUID();
                OffsetDateTime enrolled = start.atStartOfDay().atOffset(ZoneOffset.UTC);
                send(producer, patient, enrollment, "enrollment.started", enrolled, "{\"eventId\":\"" + enrollment + "\",\"patientId\":\""
                        + patient + "\",\"occurredAt\":\"" + enrolled + "\",\"enrollmentId\":\"" + enrollment
                        + "\",\"programId\":\"sciatica-relief\",\"programVersion\":1,\"startDate\":\"" + start
                        + "\",\"timezone\":\"UTC\",\"clinicianId\":\"" + replayClinician + "\"}");
                for (int e = 1; e < perPatient; e++) {
                    UUID id = UUID.randomUUID();
                    OffsetDateTime at = enrolled.plusHours(8 + (long) e * 30 * 24 / perPatient);
                    int score = e == 3 && i % 5 < SEVERE_OF_FIVE ? 8 : 3 + e % 4;
                    String json = e % 3 == 0
                            ? "{\"eventId\":\"" + id + "\",\"patientId\":\"" + patient + "\",\"occurredAt\":\"" + at
                            + "\",\"score\":" + score + ",\"location\":\"LOWER_BACK\",\"side\":\"LEFT\",\"context\":\"CHECK_IN\","
                            + "\"exerciseId\":null,\"newPain\":false,\"redFlags\":[]}"
                            : "{\"eventId\":\"" + id + "\",\"patientId\":\"" + patient + "\",\"occurredAt\":\"" + at
                            + "\",\"exerciseId\":\"pelvic-tilt\",\"side\":null,\"sets\":1,\"reps\":10,\"holdSeconds\":null,\"difficulty\":null}";
                    send(producer, patient, id, e % 3 == 0 ? "pain.reported" : "exercise.completed", at, json);
                }
            }
            producer.flush();
        }
    }

    private static void send(KafkaProducer<String, String> producer, String key, UUID id, String type, OffsetDateTime at, String json) {
        ProducerRecord<String, String> r = new ProducerRecord<>(Topics.SESSION_EVENTS.name(), key, json);
        r.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_id", id.toString().getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_source", "/benchmark".getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_subject", key.getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_time", at.toInstant().toString().getBytes(StandardCharsets.UTF_8));
        producer.send(r);
    }

    /** Applied + skipped events so far, from insights' own counters. */
    private double seen() throws Exception {
        double[] counts = stack.insightsCounters();
        return counts[0] + counts[1];
    }

    /** Waits until insights has stopped consuming for 3 s; answers the count then. */
    private double awaitQuiet(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        double last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            double now = seen();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > 3_000_000_000L) {
                return now;
            }
            Thread.sleep(250);
        }
        return last;
    }

    /** After a rebuild: {events seen since, seconds from start until the last of them}. */
    private double[] awaitGrowth(double before, Duration timeout, long start) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        double last = before;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline && (last == before || System.nanoTime() - lastChange < 3_000_000_000L)) {
            double now = seen();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
            Thread.sleep(100);
        }
        return new double[] {last - before, (lastChange - start) / 1e9};
    }

    /** Seconds from {@code start} until insights says the rebuild is DONE. */
    private double awaitRebuilt(Duration timeout, long start) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest state = credentials.asAdmin(HttpRequest.newBuilder(URI.create(stack.insights + "/admin/rebuild"))).build();
        while (System.nanoTime() < deadline && !stack.text(state).contains("\"status\":\"DONE\"")) {
            Thread.sleep(100);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Probes: a new patient reports red-flag symptoms; time from the 202 until a flag whose evidence is that report
     * is visible in insights ({@link Freshness}), one probe after another, while single events of other patients
     * arrive at {@code --rate} per second.
     */
    private void freshness(Figures figures) throws Exception {
        // the probes' patients are enrolled with the benchmark's clinician before the load, which is what is timed
        int planned = seconds * 20;
        List<String> probePatients = new ArrayList<>();
        for (int i = 0; i < planned; i++) {
            probePatients.add("fresh-" + run + "-" + i);
            stack.enroll(probePatients.get(i), CLINICIAN, LocalDate.now(ZoneOffset.UTC), "UTC");
        }
        stack.awaitEnrolled(probePatients.get(planned - 1), CLINICIAN, Duration.ofSeconds(60));
        String clinicianToken = credentials.clinicianToken(CLINICIAN);
        // the load's requests are written before the clock starts, enough for the probes' time and the last one's wait
        int loadRequests = rate * (seconds + (int) (Freshness.GIVE_UP_MILLIS / 1000) + 5);
        List<OpenLoop.Post> load = new ArrayList<>(loadRequests);
        for (int i = 0; i < loadRequests; i++) {
            String patient = loadPatient(i);
            load.add(new OpenLoop.Post("/patients/" + patient + "/events", credentials.patientToken(patient),
                    Buffer.buffer("[" + painJson(UUID.randomUUID(), false) + "]")));
        }
        AtomicBoolean loading = new AtomicBoolean(true);
        try (LoadClient client = new LoadClient(stack.session, IngestBenchmark.MAX_CONNECTIONS);
             LoadClient looks = new LoadClient(stack.insights, 4)) {
            CompletableFuture<OpenLoop.Result> generator = CompletableFuture.supplyAsync(() -> {
                try {
                    return OpenLoop.run(client, load, rate, () -> !loading.get(), (index, answer, intended) -> { });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Freshness freshness = new Freshness(looks);
            int probes = 0;
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end && probes < planned) {
                String patient = probePatients.get(probes++);
                UUID id = UUID.randomUUID();
                HttpResponse<String> accepted = stack.send(events(patient, "[" + painJson(id, true) + "]"));
                long acceptedAt = System.nanoTime();
                if (accepted.statusCode() != 202) {
                    freshness.notAccepted();
                    continue;
                }
                freshness.watch(patient, id.toString(), clinicianToken, acceptedAt).get();
                Thread.sleep(50);
            }
            loading.set(false);
            generator.get();
            Histogram h = freshness.histogram();
            figures.add("freshness: 202 to flag visible, p50 / p99", Freshness.percentiles(h),
                    "p99 ≤ 500 ms; " + probes + " probes, " + freshness.missed() + " missed, under " + rate
                            + " events/s, with the long histories present");
        }
    }

    private String loadPatient(long i) {
        return "load-" + run + "-" + (i % loadPatients);
    }

    private HttpRequest events(String patient, String body) {
        return credentials.asPatient(HttpRequest.newBuilder(URI.create(stack.session + "/patients/" + patient + "/events")), patient)
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String painJson(UUID id, boolean redFlag) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"PAIN_REPORTED\",\"occurredAt\":\""
                + OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1) + "\",\"score\":3,\"location\":\"LOWER_BACK\",\"side\":\"LEFT\","
                + "\"context\":\"CHECK_IN\"" + (redFlag ? ",\"redFlags\":[\"LEG_WEAKNESS\"]" : "") + "}";
    }
}
