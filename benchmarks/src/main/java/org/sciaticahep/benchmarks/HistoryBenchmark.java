package org.sciaticahep.benchmarks;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * History scaling: does insights' work per event, and the time until a flag shows, grow with how much history a
 * patient has? Two groups of {@code --history-patients} patients, enrolled the real way through session-service
 * (their clinician invites, each accepts with the code) with a start date in the past: one with 7 days of history,
 * one with {@code --history-days} (364: session-service takes events up to 365 days old). Their history ({@link
 * Diary}: 7 exercises and 2 pain reports a day, no flag) is posted through {@code POST /patients/{id}/events} in
 * batches of 100 by {@code --concurrency} clients, and insights is let to catch up.
 *
 * <p>Then single events at {@code --history-rate} a second through session-service, first {@code
 * --history-seconds} / 2 seconds for the short group's patients, then as long for the long group's, each window
 * after a settle. One in ten is a severe pain report at a new place, whose flag is watched for ({@link Freshness}).
 * Per group: insights' CPU per event it applied in the window (from /proc, from the first request until insights
 * has applied the window's events, less what insights uses when left alone, measured in the settle before) and
 * freshness p50 / p99; then long over short, for both.
 *
 * <p>The patients stay for the phases after: their histories are there while the replay and freshness are
 * measured, and the read phase reads a long history's pages and sends them single events ({@link #liveEvents}).
 */
final class HistoryBenchmark {

    static final int SHORT_DAYS = 7;
    static final int BATCH = 100;
    /** One in {@value} of the live events is a severe report whose flag is watched for. */
    static final int KINDS = Diary.EVENTS_PER_DAY + 1;

    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    /** One group of patients: the same history length, enrolled on the same day. */
    record Group(String name, int days, LocalDate startDate, List<String> patients, int[] severeReports) {

        /** The enrollment's day number of the patients' today. */
        long today() {
            return ChronoUnit.DAYS.between(startDate, LocalDate.now(Diary.ZONE));
        }
    }

    private final Stack stack;
    private final int perGroup;
    private final int longDays;
    private final int rate;
    private final int seconds;
    private final int concurrency;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    /** The clinician of every patient of this phase. */
    private final String clinician = "c-history-" + run;
    /** Made when the phase starts, so their start dates are counted from the day the history is posted. */
    private Group shortGroup;
    private Group longGroup;

    HistoryBenchmark(Options options, Stack stack) {
        this.stack = stack;
        perGroup = options.integer("history-patients");
        longDays = options.integer("history-days");
        rate = options.integer("history-rate");
        seconds = options.integer("history-seconds");
        concurrency = options.integer("concurrency");
        if (longDays <= SHORT_DAYS || longDays > 364) {
            // session-service takes events at most 365 days old: the first day's must still be in that at the end
            throw new IllegalArgumentException("--history-days must be between " + (SHORT_DAYS + 1) + " and 364");
        }
        if (perGroup < 1 || rate < 1 || seconds < 2) {
            throw new IllegalArgumentException("--history-patients and --history-rate must be at least 1, --history-seconds 2");
        }
    }

    private Group group(String name, int days, LocalDate today) {
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < perGroup; i++) {
            patients.add("hist-" + run + "-" + name + "-" + i);
        }
        return new Group(days + " days", days, today.minusDays(days), List.copyOf(patients), new int[perGroup]);
    }

    String clinician() {
        return clinician;
    }

    /** A patient with the long history: the read phase's pages of one patient are theirs. */
    String longPatient() {
        return longGroup.patients().get(0);
    }

    /** Adds this phase's rows to {@code figures}. */
    void run(Figures figures) throws Exception {
        LocalDate today = LocalDate.now(Diary.ZONE);
        shortGroup = group("short", SHORT_DAYS, today);
        longGroup = group("long", longDays, today);
        stack.settle();
        double before = stack.applied();
        for (Group g : List.of(shortGroup, longGroup)) {
            for (String patient : g.patients()) {
                stack.enroll(patient, clinician, g.startDate(), Diary.TIMEZONE);
            }
        }
        int enrollments = 2 * perGroup;
        long accepted = postHistory(figures);
        long start = System.nanoTime();
        double target = before + enrollments + accepted;
        double applied = stack.awaitApplied(target, Duration.ofMinutes(30), 1000);
        figures.add("history: insights caught up, after the last batch's 202", String.format("%.1f s", (System.nanoTime() - start) / 1e9),
                String.format("%,.0f of %,d events applied", applied - before, enrollments + accepted));

        // both windows' requests are written before any clock starts
        int perWindow = rate * (seconds / 2);
        List<Window> windows = List.of(new Window(shortGroup, perWindow), new Window(longGroup, perWindow));
        try (LoadClient session = new LoadClient(stack.session, IngestBenchmark.MAX_CONNECTIONS);
             LoadClient insights = new LoadClient(stack.insights, 8)) {
            for (Window w : windows) {
                w.measure(session, insights, figures);
            }
        }
        Window shortWindow = windows.get(0);
        Window longWindow = windows.get(1);
        figures.add("history: long / short, insights CPU per event",
                ratio(longWindow.cpuPerEventMicros, shortWindow.cpuPerEventMicros), "≤ 1.3");
        figures.add("history: long / short, freshness p99",
                ratio(longWindow.freshness.getValueAtPercentile(99), shortWindow.freshness.getValueAtPercentile(99)), "≤ 1.3");
    }

    private static String ratio(double a, double b) {
        return b > 0 && a >= 0 ? String.format("%.2f", a / b) : "not measured";
    }

    /** Posts both groups' histories, each patient's in order by one client; answers how many events were accepted. */
    private long postHistory(Figures figures) throws Exception {
        // every body is written before the clock starts
        List<String> patients = new ArrayList<>();
        List<List<Buffer>> batches = new ArrayList<>();
        long events = 0;
        for (Group g : List.of(shortGroup, longGroup)) {
            for (String patient : g.patients()) {
                List<String> history = new ArrayList<>(g.days() * Diary.EVENTS_PER_DAY);
                for (int d = 0; d < g.days(); d++) {
                    Diary.day(g.startDate().plusDays(d), d, history);
                }
                List<Buffer> bodies = new ArrayList<>();
                for (int from = 0; from < history.size(); from += BATCH) {
                    bodies.add(Buffer.buffer("[" + String.join(",", history.subList(from, Math.min(history.size(), from + BATCH))) + "]"));
                }
                patients.add(patient);
                batches.add(bodies);
                events += history.size();
                stack.credentials.patientToken(patient);
            }
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        AtomicInteger retried = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        try (LoadClient client = new LoadClient(stack.session, concurrency)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    for (int p = next.getAndIncrement(); p < patients.size(); p = next.getAndIncrement()) {
                        String patient = patients.get(p);
                        String path = "/patients/" + patient + "/events";
                        for (Buffer body : batches.get(p)) {
                            accepted.addAndGet(deliver(client, path, stack.credentials.patientToken(patient), body, retried, failed));
                        }
                        batches.set(p, List.of()); // posted: the memory can go
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdown();
        }
        double took = (System.nanoTime() - start) / 1e9;
        figures.add("history: posted through session-service", String.format("%,d events in %.1f s (%s)", accepted.get(), took,
                Figures.perSecond(accepted.get() / took)), String.format("%d + %d patients with %d and %d days, batches of %d, "
                + "%d clients, %d retried, %d failed", perGroup, perGroup, SHORT_DAYS, longDays, BATCH, concurrency,
                retried.get(), failed.get()));
        if (accepted.get() < events) {
            System.err.println("[bench] history: only " + accepted.get() + " of " + events + " events accepted");
        }
        return accepted.get();
    }

    /** Posts a batch as an app does: again (same body, same ids) after a 503 or no answer; answers how many were accepted. */
    private static long deliver(LoadClient client, String path, String token, Buffer body, AtomicInteger retried,
                                AtomicInteger failed) throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                LoadClient.Answer answer = client.post(path, token, body).get(60, TimeUnit.SECONDS);
                if (answer.status() == 202) {
                    Matcher m = ACCEPTED.matcher(answer.body());
                    return m.find() ? Long.parseLong(m.group(1)) : 0;
                }
                if (answer.status() != 503) {
                    System.err.println("[bench] history: " + path + " answered " + answer.status() + " " + answer.body());
                    failed.incrementAndGet();
                    return 0;
                }
            } catch (Exception e) {
                // no answer: the app keeps the batch and tries again
            }
            retried.incrementAndGet();
            Thread.sleep(250);
        }
        failed.incrementAndGet();
        return 0;
    }

    /**
     * {@code count} single events of this phase's patients, the two groups in turn, none of them severe: what the
     * read phase sends while it reads. Written now, to be sent later the same day.
     */
    List<OpenLoop.Post> liveEvents(int count) {
        List<OpenLoop.Post> posts = new ArrayList<>(count);
        OffsetDateTime now = OffsetDateTime.now(Diary.ZONE).truncatedTo(ChronoUnit.MILLIS).minusSeconds(1);
        long[] today = {shortGroup.today(), longGroup.today()};
        for (int i = 0; i < count; i++) {
            Group g = i % 2 == 0 ? shortGroup : longGroup;
            int p = (i / 2) % perGroup;
            int round = i / 2 / perGroup;
            String patient = g.patients().get(p);
            // one after the other, a millisecond apart, all in the past
            String json = Diary.live((round + p) % (KINDS - 1), UUID.randomUUID(), now.minusNanos((count - i) * 1_000_000L),
                    today[i % 2], null);
            posts.add(new OpenLoop.Post("/patients/" + patient + "/events", stack.credentials.patientToken(patient),
                    Buffer.buffer("[" + json + "]")));
        }
        return posts;
    }

    /** One group's window of single events, and what it measured. */
    private final class Window {

        private final Group group;
        private final List<OpenLoop.Post> posts;
        /** The severe reports' ids by request index (null for the others). */
        private final String[] watchedIds;
        private Histogram freshness = new Histogram(3);
        private double cpuPerEventMicros = -1;

        Window(Group group, int count) {
            this.group = group;
            posts = new ArrayList<>(count);
            watchedIds = new String[count];
            OffsetDateTime now = OffsetDateTime.now(Diary.ZONE).truncatedTo(ChronoUnit.MILLIS).minusSeconds(1);
            long today = group.today();
            int n = group.patients().size();
            for (int i = 0; i < count; i++) {
                int p = i % n;
                int round = i / n;
                // each patient goes through the ten kinds in turn, starting at its own: one in ten is severe
                int kind = (round + p) % KINDS;
                UUID id = UUID.randomUUID();
                String newPlace = null;
                if (kind == KINDS - 1) {
                    newPlace = Diary.NEW_PLACES.get(group.severeReports()[p]++ % Diary.NEW_PLACES.size());
                    watchedIds[i] = id.toString();
                }
                String patient = group.patients().get(p);
                posts.add(new OpenLoop.Post("/patients/" + patient + "/events", stack.credentials.patientToken(patient),
                        Buffer.buffer("[" + Diary.live(kind, id, now.minusNanos((count - i) * 1_000_000L), today, newPlace) + "]")));
            }
        }

        void measure(LoadClient session, LoadClient insights, Figures figures) throws Exception {
            String label = "history, " + group.name() + ": ";
            Stack.Quiet quiet = stack.settle();
            double idle = quiet.idle("insights-service");
            Freshness watch = new Freshness(insights);
            String token = stack.credentials.clinicianToken(clinician);
            Queue<CompletableFuture<Void>> watches = new ConcurrentLinkedQueue<>();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            double appliedBefore = stack.applied();
            // no look at insights' metrics from here until its applied the window's events: a scrape costs it CPU
            Map<String, Double> cpuBefore = CpuTime.snapshot();
            long start = System.nanoTime();
            OpenLoop.Result result = OpenLoop.run(session, posts, rate, () -> false, (i, answer, intended) -> {
                boolean ok = answer != null && answer.status() == 202;
                if (ok) {
                    accepted.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                if (watchedIds[i] != null) {
                    String patient = group.patients().get(i % group.patients().size());
                    if (ok) {
                        watches.add(watch.watch(patient, watchedIds[i], token, System.nanoTime()));
                    } else {
                        watch.notAccepted();
                    }
                }
            });
            try {
                CompletableFuture.allOf(watches.toArray(new CompletableFuture[0]))
                        .get(Freshness.GIVE_UP_MILLIS + 30_000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // each watch gives up after GIVE_UP_MILLIS; one still open is counted as not measured
                System.err.println("[bench] " + label + "flag watches still open; measuring what was seen");
            }
            double applied = stack.awaitApplied(appliedBefore + accepted.get(), Duration.ofMinutes(5), 500);
            Map<String, Double> cpuAfter = CpuTime.snapshot();
            double elapsed = (System.nanoTime() - start) / 1e9;
            double events = applied - appliedBefore;
            double gross = cpuAfter.get("insights-service") - cpuBefore.get("insights-service");
            double net = gross - idle * elapsed;
            cpuPerEventMicros = events > 0 ? net * 1e6 / events : -1;
            freshness = watch.histogram();
            figures.add(label + "insights CPU per applied event", String.format("%.0f µs", cpuPerEventMicros),
                    String.format("%,.0f events applied in %.1f s (%d sent at %d/s, %d failed); gross %.0f µs, less %.0f ms/s "
                                    + "used idle", events, elapsed, result.sent(), rate, failed.get(),
                            events > 0 ? gross * 1e6 / events : 0, idle * 1000));
            figures.add(label + "freshness, 202 to flag visible, p50 / p99", Freshness.percentiles(freshness),
                    watch.watched() + " severe reports at a new place, " + watch.missed() + " missed");
        }
    }
}
