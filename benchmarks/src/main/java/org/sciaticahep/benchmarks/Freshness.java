package org.sciaticahep.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Freshness: the time from session-service's 202 for an event until insights shows a flag that the event is
 * evidence of, looking at {@code GET /patients/{id}/flags} as the patient's clinician every
 * {@value #LOOK_EVERY_MILLIS} ms until a flag's evidence holds the event's id ({@value #GIVE_UP_MILLIS} ms at most:
 * then it is counted as missed). Looks go out on the client's event loop, so many events can be watched at once.
 */
final class Freshness {

    static final long LOOK_EVERY_MILLIS = 10;
    static final long GIVE_UP_MILLIS = 10_000;

    private final LoadClient insights;
    private final Recorder latency = new Recorder(3);
    private final AtomicInteger watched = new AtomicInteger();
    private final AtomicInteger missed = new AtomicInteger();

    /** {@code insights}: a client of insights-service, with a few connections for the looks. */
    Freshness(LoadClient insights) {
        this.insights = insights;
    }

    /**
     * Watches for the flag of {@code eventId}, accepted at {@code acceptedAtNanos}; completes when it is visible or
     * given up on.
     */
    CompletableFuture<Void> watch(String patient, String eventId, String clinicianToken, long acceptedAtNanos) {
        watched.incrementAndGet();
        CompletableFuture<Void> done = new CompletableFuture<>();
        look("/patients/" + patient + "/flags", eventId, clinicianToken, acceptedAtNanos, done);
        return done;
    }

    /** An event whose 202 never came: it counts as missed. */
    void notAccepted() {
        watched.incrementAndGet();
        missed.incrementAndGet();
    }

    private void look(String path, String eventId, String token, long acceptedAtNanos, CompletableFuture<Void> done) {
        insights.get(path, token, true).whenComplete((answer, error) -> {
            long now = System.nanoTime();
            // the evidence of a flag is a list of event ids: the id is in the answer only as a flag's evidence
            if (error == null && answer.status() == 200 && answer.body().contains(eventId)) {
                latency.recordValue((now - acceptedAtNanos) / 1000);
                done.complete(null);
            } else if (now - acceptedAtNanos > GIVE_UP_MILLIS * 1_000_000) {
                missed.incrementAndGet();
                done.complete(null);
            } else {
                // a look that failed under load is looked again, as one that found nothing yet
                insights.after(LOOK_EVERY_MILLIS).thenRun(() -> look(path, eventId, token, acceptedAtNanos, done));
            }
        });
    }

    /** What was measured since the last call: visible-after times in µs. */
    Histogram histogram() {
        return latency.getIntervalHistogram();
    }

    int watched() {
        return watched.get();
    }

    int missed() {
        return missed.get();
    }

    /** "p50 / p99" of {@code h}. */
    static String percentiles(Histogram h) {
        return Figures.millis(h, 50) + " / " + Figures.millis(h, 99);
    }
}
