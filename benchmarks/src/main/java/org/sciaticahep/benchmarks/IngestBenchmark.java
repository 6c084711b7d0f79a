package org.sciaticahep.benchmarks;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.sciaticahep.contracts.Topics;

/**
 * Load on session-service, against a running stack: batches of 100 events from many simulated patients, then
 * single-event requests at a fixed rate; and, on the same machine in the same run, a plain Kafka producer as the
 * ceiling. Prints a table of figures; nothing is typed in.
 *
 * <p>Options ({@link Options}): {@code --session URL} {@code --kafka HOST:PORT} {@code --events N}
 * {@code --patients N} {@code --concurrency N} {@code --rate N} {@code --seconds N}.
 */
public final class IngestBenchmark {

    private final Stack stack;
    private final String session;
    private final Map<String, Object> kafka;
    private final int events;
    private final int patients;
    private final int concurrency;
    private final int rate;
    private final int seconds;
    private final int warmUpSeconds;
    private final String compression;
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    /** Connections of the single-event phase: more than the requests in flight at its rate when all is well. */
    static final int MAX_CONNECTIONS = 64;

    private final Credentials credentials;

    IngestBenchmark(Options options, Stack stack) {
        this.stack = stack;
        this.credentials = stack.credentials;
        session = stack.session;
        kafka = stack.kafka;
        events = options.integer("events");
        patients = options.integer("patients");
        concurrency = options.integer("concurrency");
        rate = options.integer("rate");
        seconds = options.integer("seconds");
        warmUpSeconds = options.integer("warm-up-seconds");
        // the relay's setting (session-service application.properties), so the ceiling is like for like
        compression = options.text("compression");
    }

    /** Adds this benchmark's rows to {@code figures}. */
    void run(Figures figures) throws Exception {
        warmUp();
        // the first row of the table: every figure of the run is read against this ceiling
        double ceiling = rawProducerRate(rawRecords());
        figures.add("raw Kafka producer (same machine, acks=all, idempotent, " + compression + ")",
                Figures.perSecond(ceiling), "ceiling");
        if (events > 0) { // --events 0: single events only
            batchLoad(figures, ceiling);
        }
        stack.settle();
        singleLoad(figures);
    }

    /** Kafka's own ceiling for records like ours: same size, same keys, same producer settings as the relay. */
    private double rawProducerRate(int records) throws Exception {
        String topic = "bench-raw-" + run;
        try (Admin admin = Admin.create(kafka)) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, Topics.SESSION_EVENTS.partitions(), (short) 1))).all().get();
            }
        }
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        try {
            // one acknowledged record per partition before the clock starts. Measured: when the first batch to a
            // partition just created failed and later ones were taken, its retry was refused as out of sequence,
            // again and again, and the "ceiling" came out at 1,667 records/s.
            for (int partition = 0; partition < Topics.SESSION_EVENTS.partitions(); partition++) {
                producer.send(new ProducerRecord<>(topic, partition, "prime", "{}")).get(30, TimeUnit.SECONDS);
            }
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, patient(i % patients),
                        exerciseJson(UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC)));
                for (String h : new String[] {"ce_id", "ce_type", "ce_source", "ce_subject", "ce_time", "ce_specversion"}) {
                    record.headers().add(h, "x0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
                }
                producer.send(record);
            }
            producer.flush();
            return records / ((System.nanoTime() - start) / 1e9);
        } finally {
            producer.close(Duration.ofSeconds(10));
        }
    }

    private int rawRecords() {
        return Math.max(events * 2, 200_000);
    }

    /**
     * Runs every path the phases measure until the JIT has compiled it, as a service that has been up for a while
     * has: the raw producer, batches (as many events as the batch phase, or fewer if time is up) and single events
     * in turn, insights taking them in. Measured on a stack just started:
     * session-service spent 55–70 µs of CPU per batched event (C2 compiling meanwhile) against 18 µs once warm,
     * and single events' p99 was 85–700 ms (all in their first seconds) against 4 ms.
     */
    private void warmUp() throws Exception {
        rawProducerRate(rawRecords() / 2);
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            int batchSeconds = warmUpSeconds * 2 / 3 / WARM_UP_ROUNDS;
            warmUpBatches(events / 100 / WARM_UP_ROUNDS, batchSeconds);
            openLoop("-w-", warmUpSeconds / WARM_UP_ROUNDS - batchSeconds);
        }
        stack.settle();
    }

    /**
     * Batches, then single events, twice over: measured, once through left the single-event path slow for its
     * first seconds after the batch phase (p99 85–316 ms, all in seconds 0–2; 3.5 ms on a second run).
     */
    static final int WARM_UP_ROUNDS = 2;

    private void warmUpBatches(int batches, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try (LoadClient client = new LoadClient(session, concurrency)) {
            long until = System.nanoTime() + seconds * 1_000_000_000L;
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                clients.add(pool.submit(() -> {
                    for (int b = next.getAndIncrement(); b < batches && System.nanoTime() < until; b = next.getAndIncrement()) {
                        post(client, patient(b % patients), Buffer.buffer(batchJson(100))).join();
                    }
                }));
            }
            for (Future<?> c : clients) {
                c.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private void batchLoad(Figures figures, double ceiling) throws Exception {
        int batches = events / 100;
        Recorder latency = new Recorder(3);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try (TopicWatch watch = new TopicWatch(kafka, Topics.SESSION_EVENTS.name(), "bench-" + run + "-b-");
             LoadClient client = new LoadClient(session, concurrency)) {
            // the bodies are written before the clock starts: the load generator shares the two cores it measures
            List<Buffer> bodies = new ArrayList<>(batches);
            for (int b = 0; b < batches; b++) {
                bodies.add(Buffer.buffer(batchJson(100)));
                credentials.patientToken(batchPatient(b));
            }
            ExecutorService pool = Executors.newFixedThreadPool(concurrency + 1);
            Future<Boolean> arrived = pool.submit(() -> watch.awaitGrowth(batches * 100, Duration.ofMinutes(10)));
            Map<String, Double> cpuBefore = CpuTime.snapshot();
            long start = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        LoadClient.Answer response = post(client, batchPatient(b), bodies.get(b)).get();
                        latency.recordValue((System.nanoTime() - t0) / 1000);
                        if (response.status() != 202 || !response.body().contains("\"accepted\":100")) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
            long answered = System.nanoTime();
            boolean grown = arrived.get();
            Map<String, Double> cpuAfter = CpuTime.snapshot();
            pool.shutdown();
            // the clock has stopped: now each of the run's events is looked for on the topic, counted once
            int onKafka = grown ? watch.countDistinct(batches * 100, Duration.ofMinutes(2)) : 0;
            double acceptedSeconds = (answered - start) / 1e9;
            double toKafkaSeconds = (watch.completedAtNanos() - start) / 1e9;
            Histogram h = latency.getIntervalHistogram();
            figures.add("batches of 100: events accepted", Figures.perSecond(batches * 100 / acceptedSeconds),
                    batches * 100 + " events, " + concurrency + " clients, " + failed.get() + " failed requests");
            figures.add("batches of 100: HTTP p50 / p99", Figures.millis(h, 50) + " / " + Figures.millis(h, 99), "");
            figures.add("batches of 100: all on Kafka after", String.format("%.1f s (%,d of %,d events)", toKafkaSeconds,
                    onKafka, batches * 100), "");
            double ingestToKafka = onKafka / toKafkaSeconds;
            figures.add("batches of 100: ingest to Kafka", Figures.perSecond(ingestToKafka), "");
            // no target: the 25 % of the raw producer was withdrawn (issue #12); the ratio still tells the trend
            figures.add("ingest to Kafka / raw producer", String.format("%.0f %%", 100 * ingestToKafka / ceiling), "");
            figures.add("CPU per event, batch phase until all on Kafka", CpuTime.perEvent(cpuBefore, cpuAfter, onKafka),
                    "2 cores shared by all");
        }
    }

    private void singleLoad(Figures figures) throws Exception {
        // a patient's first record waits until their data key is durably written (an enrolled patient's is made with
        // their enrollment): the phase's new patients' first second is measured apart, then the steady rate
        Singles first = openLoop("-s-", Math.max(1, (patients + rate - 1) / rate)); // every patient once at least
        figures.add("single events: first seconds, new patients' data keys made meanwhile: p99", Figures.millis(first.latency(), 99),
                first.requests() + " requests for " + patients + " new patients, " + first.failed() + " failed");
        stack.settle();
        Singles measured = openLoop("-s-", seconds);
        figures.add("single events at " + rate + "/s: achieved", Figures.perSecond(measured.requests() / measured.seconds()),
                measured.requests() + " requests, " + measured.failed() + " failed");
        Histogram h = measured.latency();
        figures.add("single events: HTTP p50 / p99", Figures.millis(h, 50) + " / " + Figures.millis(h, 99), "p99 ≤ 50 ms");
        figures.add("single events: seconds with requests over 50 ms", measured.slowSeconds(), "second of the run: how many, slowest");
    }

    /** What an open-loop run measured; {@code slow[s]} and {@code worst[s]}: requests over 50 ms in second s, the slowest. */
    private record Singles(int requests, int failed, double seconds, Histogram latency, int[] slow, long[] worst) {

        /** Where the tail is: a few bad seconds (a stall) or spread over the run (saturation). */
        String slowSeconds() {
            StringBuilder seconds = new StringBuilder();
            int count = 0;
            for (int s = 0; s < slow.length; s++) {
                if (slow[s] > 0) {
                    count++;
                    seconds.append(seconds.isEmpty() ? "" : ", ").append(String.format("%d: %d, %d ms", s, slow[s], worst[s] / 1000));
                }
            }
            return count + " of " + slow.length + (count == 0 ? "" : " (" + seconds + ")");
        }
    }

    /** Open loop ({@link OpenLoop}) of single exercises at {@code --rate} for {@code forSeconds}, its patients named by the infix. */
    private Singles openLoop(String patientInfix, int forSeconds) throws Exception {
        int total = rate * forSeconds;
        Recorder latency = new Recorder(3);
        AtomicInteger failed = new AtomicInteger();
        AtomicIntegerArray slow = new AtomicIntegerArray(forSeconds);
        AtomicLongArray worst = new AtomicLongArray(forSeconds);
        List<OpenLoop.Post> posts = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            String patientId = "bench-" + run + patientInfix + (i % patients);
            posts.add(new OpenLoop.Post("/patients/" + patientId + "/events", credentials.patientToken(patientId),
                    Buffer.buffer(batchJson(1))));
        }
        try (LoadClient client = new LoadClient(session, MAX_CONNECTIONS)) {
            OpenLoop.Result result = OpenLoop.run(client, posts, rate, () -> false, (i, response, intended) -> {
                long micros = (System.nanoTime() - intended) / 1000;
                int second = i / rate;
                latency.recordValue(micros);
                if (micros > 50_000) {
                    slow.incrementAndGet(second);
                }
                worst.accumulateAndGet(second, micros, Math::max);
                if (response == null || response.status() != 202) {
                    failed.incrementAndGet();
                }
            });
            int[] slowBySecond = new int[forSeconds];
            long[] worstBySecond = new long[forSeconds];
            for (int s = 0; s < forSeconds; s++) {
                slowBySecond[s] = slow.get(s);
                worstBySecond[s] = worst.get(s);
            }
            return new Singles(result.sent(), failed.get(), result.seconds(), latency.getIntervalHistogram(),
                    slowBySecond, worstBySecond);
        }
    }

    private CompletableFuture<LoadClient.Answer> post(LoadClient client, String patientId, Buffer body) {
        return client.post("/patients/" + patientId + "/events", credentials.patientToken(patientId), body);
    }

    private String batchPatient(int batch) {
        return "bench-" + run + "-b-" + (batch % patients);
    }

    private String patient(int i) {
        return "bench-" + run + "-w-" + i;
    }

    private static String batchJson(int n) {
        StringBuilder body = new StringBuilder(n * 220).append('[');
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(exerciseJson(UUID.randomUUID(), now.minusSeconds(n - i)));
        }
        return body.append(']').toString();
    }

    private static String exerciseJson(UUID id, OffsetDateTime at) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"EXERCISE_COMPLETED\",\"occurredAt\":\"" + at
                + "\",\"exerciseId\":\"knee-to-chest\",\"side\":\"LEFT\",\"sets\":1,\"reps\":3,\"holdSeconds\":20,\"difficulty\":2}";
    }
}
