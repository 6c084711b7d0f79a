package org.sciaticahep.benchmarks;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Read paths at scale: what a clinician's pages and a patient's app read, while insights is applying events. One
 * clinician has the replay's patients (10,000, 60 % of them with an open flag); a patient of the history phase has
 * 364 days of history. Closed loop: {@code --readers} readers (16) each send the next request when the last one
 * answered, for {@code --read-seconds} per path, one path at a time, after a short unmeasured warm-up of the same
 * path. Meanwhile session-service receives {@code --read-rate} single events a second (open loop, through HTTP) for
 * the history phase's patients, so insights applies events while it answers.
 */
final class ReadPathBenchmark {

    /** Open flags the replay clinician's review queue must hold for the figures to be at the scale they are for. */
    static final int MIN_QUEUE = 5000;

    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");

    /** A path read by {@code bearerToken}'s holder, named for the table. */
    private record Path(String name, String uri, String bearerToken, String target) {
        Path(String name, String uri, String bearerToken) {
            this(name, uri, bearerToken, "p99 ≤ 100 ms");
        }
    }

    /** What the readers of one path measured: latency of the 2xx answers, their count, the others by status. */
    private record Reads(Histogram latency, int ok, Map<Integer, Integer> errors, double seconds) {

        int errorCount() {
            return errors.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** "0" or "12 (503: 10, no answer: 2)". */
        String errorText() {
            if (errors.isEmpty()) {
                return "0";
            }
            StringBuilder out = new StringBuilder();
            errors.forEach((status, n) -> out.append(out.isEmpty() ? "" : ", ").append(status == 0 ? "no answer" : status)
                    .append(": ").append(n));
            return errorCount() + " (" + out + ")";
        }
    }

    private final Stack stack;
    private final HistoryBenchmark history;
    private final String replayClinician;
    private final int readers;
    private final int seconds;
    private final int warmUpSeconds;
    private final int rate;

    ReadPathBenchmark(Options options, Stack stack, HistoryBenchmark history, String replayClinician) {
        this.stack = stack;
        this.history = history;
        this.replayClinician = replayClinician;
        readers = options.integer("readers");
        seconds = options.integer("read-seconds");
        rate = options.integer("read-rate");
        warmUpSeconds = Math.max(1, seconds / 5);
        if (readers < 1 || seconds < 1 || rate < 1) {
            throw new IllegalArgumentException("--readers, --read-seconds and --read-rate must be at least 1");
        }
    }

    /** Adds this phase's rows to {@code figures}. */
    void run(Figures figures) throws Exception {
        String clinicianToken = stack.credentials.clinicianToken(replayClinician);
        String patient = history.longPatient();
        String patientsClinician = stack.credentials.clinicianToken(history.clinician());
        LocalDate today = LocalDate.now(Diary.ZONE);
        List<Path> paths = List.of(
                new Path("review queue, page of 50 (JSON)", "/review-queue?page=0&size=50", clinicianToken),
                new Path("dashboard home, queue and patient list pages of 50 (HTML)", "/?queuePage=0&patientPage=0", clinicianToken),
                new Path("dashboard patient page, 364 days of history (HTML)", "/dashboard/patients/" + patient, patientsClinician),
                new Path("adherence over 364 days (JSON)", "/patients/" + patient + "/adherence?from=" + today.minusDays(364)
                        + "&to=" + today, patientsClinician),
                new Path("pain, 364 days of history (JSON)", "/patients/" + patient + "/pain", patientsClinician),
                // what a patient's app opens on: its home screen
                new Path("today's plan (JSON)", "/patients/" + patient + "/today", patientsClinician, "p99 ≤ 50 ms"));

        queueTotal(figures, clinicianToken);

        // the events sent meanwhile are written before any clock starts: enough for every path, its warm-up and a margin
        int planned = rate * (paths.size() * (warmUpSeconds + seconds + 1) + 10);
        List<OpenLoop.Post> events = history.liveEvents(planned);
        stack.settle();
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try (LoadClient session = new LoadClient(stack.session, IngestBenchmark.MAX_CONNECTIONS);
             LoadClient insights = new LoadClient(stack.insights, readers)) {
            CompletableFuture<OpenLoop.Result> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return OpenLoop.run(session, events, rate, () -> !reading.get(), (i, answer, intended) -> {
                        if (answer != null && answer.status() == 202) {
                            accepted.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1000); // the events flow before the first read
            for (Path path : paths) {
                read(insights, path, warmUpSeconds);
                Reads measured = read(insights, path, seconds);
                Histogram h = measured.latency();
                figures.add("read: " + path.name() + ", p50 / p99", Figures.millis(h, 50) + " / " + Figures.millis(h, 99),
                        path.target());
                figures.add("read: " + path.name() + ", throughput", Figures.perSecond(measured.ok() / measured.seconds())
                        + ", errors " + measured.errorText(), readers + " readers, closed loop, " + seconds + " s");
            }
            reading.set(false);
            OpenLoop.Result result = load.get();
            if (result.sent() == events.size()) {
                System.err.println("[bench] read paths: the " + events.size() + " events written in advance ran out");
            }
            figures.add("read paths: single events meanwhile, accepted", Figures.perSecond(accepted.get() / result.seconds()),
                    rate + "/s asked, " + result.sent() + " sent, " + failed.get() + " failed, for the history phase's patients");
        }
    }

    /** The review queue's first page as JSON; its total must be at the scale the read figures are for. */
    private void queueTotal(Figures figures, String clinicianToken) throws Exception {
        HttpResponse<String> answer = stack.send(HttpRequest.newBuilder(URI.create(stack.insights + "/review-queue?page=0&size=50"))
                .header("Authorization", "Bearer " + clinicianToken).build());
        Matcher total = TOTAL.matcher(answer.body());
        boolean found = answer.statusCode() == 200 && total.find();
        long n = found ? Long.parseLong(total.group(1)) : -1;
        String value = !found ? "no total in the answer (" + answer.statusCode() + ")"
                : String.format("%,d", n) + (n >= MIN_QUEUE ? "" : " (FEWER THAN " + String.format("%,d", MIN_QUEUE)
                + ": the read figures are not at the scale asked)");
        figures.add("read paths: review queue total of the replay clinician", value,
                "≥ " + String.format("%,d", MIN_QUEUE) + " open flags");
        if (n < MIN_QUEUE) {
            // said loudly, but the paths are still measured: a run that got this far keeps its other figures
            System.err.println("[bench] ASSERTION FAILED: the review queue's total is not at least " + MIN_QUEUE + ": " + value);
        }
    }

    /** {@code readers} closed loops on {@code path} for {@code forSeconds}. */
    private Reads read(LoadClient insights, Path path, int forSeconds) throws InterruptedException {
        Recorder latency = new Recorder(3);
        AtomicInteger ok = new AtomicInteger();
        Map<Integer, AtomicInteger> errors = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(readers);
        long start = System.nanoTime();
        long end = start + forSeconds * 1_000_000_000L;
        for (int r = 0; r < readers; r++) {
            next(insights, path, end, latency, ok, errors, done);
        }
        if (!done.await(forSeconds + 120L, TimeUnit.SECONDS)) {
            System.err.println("[bench] read " + path.name() + ": readers still waiting for answers");
        }
        Map<Integer, Integer> errorCounts = new TreeMap<>();
        errors.forEach((status, n) -> errorCounts.put(status, n.get()));
        return new Reads(latency.getIntervalHistogram(), ok.get(), errorCounts, (System.nanoTime() - start) / 1e9);
    }

    /** One reader's next request, sent when the last one answered, until {@code end}. */
    private void next(LoadClient insights, Path path, long end, Recorder latency, AtomicInteger ok,
                      Map<Integer, AtomicInteger> errors, CountDownLatch done) {
        long sent = System.nanoTime();
        if (sent >= end) {
            done.countDown();
            return;
        }
        insights.get(path.uri(), path.bearerToken(), false).whenComplete((answer, error) -> {
            if (error == null && answer.status() / 100 == 2) {
                latency.recordValue((System.nanoTime() - sent) / 1000);
                ok.incrementAndGet();
            } else {
                errors.computeIfAbsent(error == null ? answer.status() : 0, s -> new AtomicInteger()).incrementAndGet();
            }
            if (error == null) {
                next(insights, path, end, latency, ok, errors, done);
            } else {
                // no answer: wait a moment on the event loop rather than spin on a refused connection
                insights.after(10).thenRun(() -> next(insights, path, end, latency, ok, errors, done));
            }
        });
    }
}
