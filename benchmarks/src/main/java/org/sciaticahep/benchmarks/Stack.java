package org.sciaticahep.benchmarks;

import java.util.HashMap;
import java.nio.file.Path;
import org.sciaticahep.stack.KafkaCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running stack as every phase sees it: where the services are, the tokens they are called with, the
 * enrollment of a patient the real way, insights' own counters, and waiting until the stack is quiet. One for the
 * whole run, shared by the phases, so none of them keeps a copy of another's plumbing.
 */
final class Stack {

    private static final Pattern COUNTER = Pattern.compile(
            "(?m)^insights_events_(applied|duplicates)_total(\\{[^}]*})? ([0-9.E+-]+)$");
    private static final Pattern LAG = Pattern.compile("(?m)^insights_consumer_lag\\{[^}]*} ([0-9.E+-]+)$");

    final String session;
    final String insights;
    /** How the benchmark's own clients reach Kafka: as the stack's operator, whose password ./stack.sh keeps. */
    final Map<String, Object> kafka;
    final Credentials credentials = new Credentials();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    Stack(Options options) {
        session = options.text("session");
        insights = options.text("insights");
        kafka = new HashMap<>(KafkaCredentials.existing(Path.of(".stack-data", "kafka")).client(KafkaCredentials.ADMIN));
        kafka.put("bootstrap.servers", options.text("kafka"));
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    String text(HttpRequest request) throws Exception {
        return send(request).body();
    }

    /**
     * Enrolls a patient the real way: the clinician invites (201, with a one-time code), the patient's app accepts
     * with the code (200). {@code timezone}: the patient's zone, which their local days are counted in.
     */
    void enroll(String patient, String clinician, LocalDate startDate, String timezone) throws Exception {
        String enrollment = "{\"programId\":\"sciatica-relief\",\"startDate\":\"" + startDate + "\",\"timezone\":\""
                + timezone + "\",\"clinicianId\":\"" + clinician + "\"}";
        HttpResponse<String> invited = sendAsAnAppWould(credentials.asClinician(HttpRequest.newBuilder(
                        URI.create(session + "/patients/" + patient + "/enrollments")), clinician)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(enrollment)).build());
        if (invited.statusCode() != 201) {
            throw new IllegalStateException("inviting " + patient + " answered " + invited.statusCode() + " " + invited.body());
        }
        String accept = session + "/patients/" + patient + "/enrollments/" + field(invited.body(), "enrollmentId") + "/accept";
        HttpResponse<String> accepted = sendAsAnAppWould(credentials.asPatient(HttpRequest.newBuilder(URI.create(accept)), patient)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inviteCode\":\"" + field(invited.body(), "inviteCode") + "\"}"))
                .build());
        if (accepted.statusCode() != 200) {
            throw new IllegalStateException("accepting for " + patient + " answered " + accepted.statusCode() + " " + accepted.body());
        }
    }

    /** Sends again, as an app does, after a 503 (the service shed it) or no answer; a few times, then gives up. */
    private HttpResponse<String> sendAsAnAppWould(HttpRequest request) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> answer = send(request);
                if (answer.statusCode() != 503 || attempt == 5) {
                    return answer;
                }
            } catch (java.io.IOException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
            Thread.sleep(250L * attempt);
        }
    }

    /** Waits until insights knows the patient is the clinician's (a patient's events arrive in order). */
    void awaitEnrolled(String patient, String clinician, Duration timeout) throws Exception {
        HttpRequest flags = credentials.asClinician(HttpRequest.newBuilder(URI.create(insights + "/patients/" + patient + "/flags")),
                clinician).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (http.send(flags, HttpResponse.BodyHandlers.discarding()).statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** A string field of a flat JSON answer. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in the answer");
        }
        return m.group(1);
    }

    /** insights' counters: {events applied, events skipped as duplicates}, summed over every type. */
    double[] insightsCounters() throws Exception {
        String metrics = text(credentials.asOps(HttpRequest.newBuilder(URI.create(insights + "/q/metrics"))).build());
        double[] counts = new double[2];
        Matcher m = COUNTER.matcher(metrics);
        while (m.find()) {
            counts[m.group(1).equals("applied") ? 0 : 1] += Double.parseDouble(m.group(3));
        }
        return counts;
    }

    /** Events insights has applied so far (each once; a duplicate is not applied again). */
    double applied() throws Exception {
        return insightsCounters()[0];
    }

    /**
     * Waits until insights has applied at least {@code target} events in all, looking every {@code everyMillis}
     * (each look is a scrape of insights' metrics, which costs it CPU). Answers the count then; the last count seen
     * if the timeout passed first.
     */
    double awaitApplied(double target, Duration timeout, long everyMillis) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long told = System.nanoTime();
        double applied = applied();
        while (applied < target && System.nanoTime() < deadline) {
            Thread.sleep(everyMillis);
            applied = applied();
            if (System.nanoTime() - told > 30_000_000_000L) {
                // a long catch-up shows it is moving
                System.err.printf("[bench] insights has applied %,.0f events, waiting for %,.0f%n", applied, target);
                told = System.nanoTime();
            }
        }
        return applied;
    }

    /** The CPU each part used while the stack was left alone: what a phase's own CPU is measured above. */
    record Quiet(Map<String, Double> before, Map<String, Double> after, double seconds) {

        /** CPU seconds per second that {@code part} spends with nothing to do. */
        double idle(String part) {
            return (after.get(part) - before.get(part)) / seconds;
        }
    }

    /**
     * Lets the previous phase's work (outbox drain, autovacuum, GC) finish, so phases do not measure each other:
     * session-service's outbox empty, insights' consumer lag 0, then 5 s left alone, whose CPU it answers.
     */
    Quiet settle() throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(session + "/q/health/ready")).build();
        for (int i = 0; i < 120; i++) {
            String body = text(ready);
            if (body.replaceAll("\\s", "").contains("\"unpublished\":0")) {
                break;
            }
            Thread.sleep(500);
        }
        // insights digests what the phase published: on two shared cores that takes the CPU the next phase needs
        HttpRequest metrics = credentials.asOps(HttpRequest.newBuilder(URI.create(insights + "/q/metrics"))).build();
        for (int i = 0; i < 240; i++) {
            Matcher lag = LAG.matcher(text(metrics));
            double total = 0;
            while (lag.find()) {
                total += Double.parseDouble(lag.group(1));
            }
            if (total == 0) {
                break;
            }
            Thread.sleep(500);
        }
        Map<String, Double> before = CpuTime.snapshot();
        long start = System.nanoTime();
        Thread.sleep(5000);
        return new Quiet(before, CpuTime.snapshot(), (System.nanoTime() - start) / 1e9);
    }
}
