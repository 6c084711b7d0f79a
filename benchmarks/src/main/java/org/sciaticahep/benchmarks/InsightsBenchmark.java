package org.sciaticahep.benchmarks;

import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
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
 * <p>Arguments (optional): {@code --replay-events N --replay-patients N} (the topic to replay: by default the
 * issue's 1,000,000 events over 10,000 patients), {@code --patients N --rate N --seconds N --session URL --insights URL --kafka H:P}.
 */
public final class InsightsBenchmark {

    private static final Pattern APPLIED = Pattern.compile("^insights_events_(applied|duplicates)_total(\\{[^}]*})? ([0-9.E]+)$",
            Pattern.MULTILINE);

    private static final String CLINICIAN = "c-bench";

    private final String session;
    private final String insights;
    private final String kafka;
    private final int events;
    private final int patients;
    private final int loadPatients;
    private final int rate;
    private final int seconds;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Credentials credentials = new Credentials();

    InsightsBenchmark(Map<String, String> o) {
        session = o.getOrDefault("session", "http://localhost:8082");
        insights = o.getOrDefault("insights", "http://localhost:8083");
        kafka = o.getOrDefault("kafka", "127.0.0.1:9092");
        events = Integer.parseInt(o.getOrDefault("replay-events", "1000000"));
        patients = Integer.parseInt(o.getOrDefault("replay-patients", "10000"));
        loadPatients = Integer.parseInt(o.getOrDefault("patients", "1000"));
        rate = Integer.parseInt(o.getOrDefault("rate", "1000"));
        seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
    }

    /** Adds this benchmark's rows to {@code figures}. */
    void run(Figures figures) throws Exception {
        fill();
        double settled = awaitQuiet(Duration.ofMinutes(30));
        long start = System.nanoTime();
        send(credentials.asAdmin(HttpRequest.newBuilder(URI.create(insights + "/admin/rebuild"))).POST(HttpRequest.BodyPublishers.noBody()).build());
        double[] replay = awaitGrowth(settled, Duration.ofMinutes(60), start);
        figures.add("replay: events applied from the topic", String.format("%,.0f in %.1f s", replay[0], replay[1]),
                events + " new events for " + patients + " patients, plus what the topic held");
        figures.add("replay throughput", Figures.perSecond(replay[0] / replay[1]), "≥ 30,000 /s");
        double done = awaitRebuilt(Duration.ofMinutes(30), start);
        figures.add("rebuild done: replayed, then every patient's flags reconciled", String.format("%.1f s", done),
                "reads answer 503 until then");
        freshness(figures);
    }

    /** Puts events on session-events as session-service would: an enrollment each, then pain and exercises. */
    private void fill() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
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
                        + "\",\"timezone\":\"UTC\",\"clinicianId\":\"c-bench\"}");
                for (int e = 1; e < perPatient; e++) {
                    UUID id = UUID.randomUUID();
                    OffsetDateTime at = enrolled.plusHours(8 + (long) e * 30 * 24 / perPatient);
                    String json = e % 3 == 0
                            ? "{\"eventId\":\"" + id + "\",\"patientId\":\"" + patient + "\",\"occurredAt\":\"" + at
                            + "\",\"score\":" + (3 + e % 4) + ",\"location\":\"LOWER_BACK\",\"side\":\"LEFT\",\"context\":\"CHECK_IN\","
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
        String metrics = send(credentials.asOps(HttpRequest.newBuilder(URI.create(insights + "/q/metrics"))).build());
        double total = 0;
        Matcher m = APPLIED.matcher(metrics);
        while (m.find()) {
            total += Double.parseDouble(m.group(3));
        }
        return total;
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
        while (System.nanoTime() < deadline && !send(credentials.asAdmin(HttpRequest.newBuilder(URI.create(insights + "/admin/rebuild"))).build())
                .contains("\"status\":\"DONE\"")) {
            Thread.sleep(100);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Probes: a new patient reports red-flag symptoms; time from the 202 until the flag is visible in insights. */
    private void freshness(Figures figures) throws Exception {
        // the probes' patients are enrolled with the benchmark's clinician before the load, which is what is timed
        int planned = seconds * 20;
        List<String> probePatients = new ArrayList<>();
        for (int i = 0; i < planned; i++) {
            probePatients.add("fresh-" + run + "-" + i);
            enroll(probePatients.get(i));
        }
        awaitEnrolled(probePatients.get(planned - 1));
        for (int i = 0; i < loadPatients; i++) {
            credentials.patientToken(loadPatient(i));
        }
        AtomicBoolean loading = new AtomicBoolean(true);
        List<CompletableFuture<?>> load = new ArrayList<>();
        LoadClient client = new LoadClient(session, IngestBenchmark.MAX_CONNECTIONS);
        CompletableFuture<Void> generator = CompletableFuture.runAsync(() -> {
            long interval = 1_000_000_000L / rate;
            long t0 = System.nanoTime();
            for (long i = 0; loading.get(); i++) {
                long intended = t0 + i * interval;
                while (System.nanoTime() < intended) {
                    LockSupport.parkNanos(intended - System.nanoTime());
                }
                String patient = loadPatient(i);
                load.add(client.post("/patients/" + patient + "/events", credentials.patientToken(patient),
                        Buffer.buffer(event(false))));
            }
        });
        Recorder latency = new Recorder(3);
        int probes = 0;
        int missed = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end && probes < planned) {
            String patient = probePatients.get(probes++);
            HttpResponse<String> accepted = http.send(events(patient, event(true)), HttpResponse.BodyHandlers.ofString());
            long acceptedAt = System.nanoTime();
            if (accepted.statusCode() != 202) {
                missed++;
                continue;
            }
            boolean flagged = false;
            while (!flagged && System.nanoTime() - acceptedAt < 10_000_000_000L) {
                try {
                    flagged = send(flagsOf(patient)).contains("RED_FLAG_SYMPTOMS");
                } catch (java.io.IOException e) {
                    // a look that timed out under load: look again
                }
                if (!flagged) {
                    Thread.sleep(5);
                }
            }
            if (flagged) {
                latency.recordValue((System.nanoTime() - acceptedAt) / 1000);
            } else {
                missed++;
            }
            Thread.sleep(50);
        }
        loading.set(false);
        generator.get();
        CompletableFuture.allOf(load.toArray(new CompletableFuture[0])).exceptionally(e -> null).get(1, TimeUnit.MINUTES);
        client.close();
        Histogram h = latency.getIntervalHistogram();
        figures.add("freshness: 202 to flag visible, p50 / p99", Figures.millis(h, 50) + " / " + Figures.millis(h, 99),
                "p99 ≤ 1 s; " + probes + " probes, " + missed + " missed, under " + rate + " events/s");
    }

    private String loadPatient(long i) {
        return "load-" + run + "-" + (i % loadPatients);
    }

    /** Enrolls a probe's patient with the benchmark's clinician: the clinician invites, the patient accepts. */
    private void enroll(String patient) throws Exception {
        String enrollment = "{\"programId\":\"sciatica-relief\",\"startDate\":\"" + LocalDate.now(ZoneOffset.UTC)
                + "\",\"timezone\":\"UTC\",\"clinicianId\":\"" + CLINICIAN + "\"}";
        String invitation = send(credentials.asClinician(HttpRequest.newBuilder(URI.create(session + "/patients/" + patient + "/enrollments")), CLINICIAN)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(enrollment)).build());
        String accept = session + "/patients/" + patient + "/enrollments/" + field(invitation, "enrollmentId") + "/accept";
        send(credentials.asPatient(HttpRequest.newBuilder(URI.create(accept)), patient)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inviteCode\":\"" + field(invitation, "inviteCode") + "\"}")).build());
    }

    /** A string field of a flat JSON answer. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in session-service's answer");
        }
        return m.group(1);
    }

    /** Waits until insights knows the patient is the benchmark clinician's (enrollments arrive in order). */
    private void awaitEnrolled(String patient) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (http.send(flagsOf(patient), HttpResponse.BodyHandlers.discarding()).statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private HttpRequest flagsOf(String patient) {
        return credentials.asClinician(HttpRequest.newBuilder(URI.create(insights + "/patients/" + patient + "/flags")), CLINICIAN).build();
    }

    private HttpRequest events(String patient, String body) {
        return credentials.asPatient(HttpRequest.newBuilder(URI.create(session + "/patients/" + patient + "/events")), patient)
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String event(boolean redFlag) {
        return "[{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"PAIN_REPORTED\",\"occurredAt\":\""
                + OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1) + "\",\"score\":3,\"location\":\"LOWER_BACK\",\"side\":\"LEFT\","
                + "\"context\":\"CHECK_IN\"" + (redFlag ? ",\"redFlags\":[\"LEG_WEAKNESS\"]" : "") + "}]";
    }

    private String send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
