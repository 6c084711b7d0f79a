package org.sciaticahep.reliability;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Hostile requests against the running services, each judged as soon as it is answered and counted in the row of
 * its attack: refused as expected (the status it should get, nothing echoed or reflected that must not be), a 5xx,
 * no answer (a stall), or a 2xx carrying data of a patient the caller has no right to (exposed). A watcher polls
 * every service's liveness throughout and charges any failure to the attack running at the time.
 */
final class Probes {

    static final String CATALOG = "catalog-service";
    static final String SESSION = "session-service";
    static final String INSIGHTS = "insights-service";
    static final List<String> SERVICES = List.of(CATALOG, SESSION, INSIGHTS);
    /** The dashboard's sign-in cookie, which the services verify like the Authorization header. */
    static final String DASHBOARD_COOKIE = "hep_clinician";
    /** What an HTML answer must never carry unescaped (the payloads the attacks send). */
    static final List<String> RAW_HTML = List.of("<script>alert(", "<img src=x onerror=");

    static final String HEADER = """
            | attack | requests or records | refused as expected | 5xx | service restarted or stalled | data exposed |
            |---|---:|---:|---:|---:|---:|""";

    private final WholeSystem system;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final HttpClient health = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    final List<Row> rows = new CopyOnWriteArrayList<>();
    private volatile Row current;
    /** Other patients' data (event, flag and enrollment ids, their clinician, their patient id): never in a 2xx to a stranger. */
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    private final Map<String, String> callers = new ConcurrentHashMap<>();
    private Map<String, Set<Long>> processes = Map.of();
    private final Set<Long> reportedGone = ConcurrentHashMap.newKeySet();
    private volatile boolean watching;
    private Thread watcher;

    Probes(WholeSystem system) {
        this.system = system;
    }

    /** Names a token in the report ("patient A"). */
    String caller(String name, String token) {
        callers.put(token, name);
        return token;
    }

    /** Marks a string as another patient's data: a 2xx answer to a caller without the right to it must not carry it. */
    void protect(String... markers) {
        for (String marker : markers) {
            if (marker != null && !marker.isBlank()) {
                secrets.add(marker);
            }
        }
    }

    /** Starts a row: what follows is counted in it. */
    Row begin(String attack) {
        Row row = new Row(attack);
        rows.add(row);
        current = row;
        return row;
    }

    /** The attack running now; null before the first. */
    Row currentRow() {
        return current;
    }

    Row row() {
        if (current == null) {
            throw new IllegalStateException("no attack has begun");
        }
        return current;
    }

    Hit get(String service, String target) {
        return new Hit(service, "GET", target);
    }

    Hit post(String service, String target) {
        return new Hit(service, "POST", target);
    }

    Hit put(String service, String target) {
        return new Hit(service, "PUT", target);
    }

    /** An answer as the client saw it; status 0: no answer (refused, reset or timed out, see failure). */
    record Answer(int status, String body, String contentType, HttpHeaders headers, boolean timedOut, String failure) {

        boolean html() {
            return contentType != null && contentType.contains("html");
        }

        String header(String name) {
            return headers == null ? null : headers.firstValue(name).orElse(null);
        }
    }

    /** One request (or record, or check) as judged: fine, or the problems found with it. */
    static final class Result {
        final String what;
        int status;
        boolean serverError;
        boolean stalled;
        boolean exposed;
        Set<UUID> eventIds = Set.of();
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());

        Result(String what) {
            this.what = what;
        }

        boolean ok() {
            return problems.isEmpty();
        }

        void fail(String why) {
            if (why != null) {
                problems.add(why);
            }
        }
    }

    /** One attack: a line of the table. */
    static final class Row {
        final String attack;
        final List<Result> results = Collections.synchronizedList(new ArrayList<>());
        /** Stalls not tied to one request: a liveness probe failing, a process gone, good events not applied in time. */
        final List<String> incidents = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger stalls = new AtomicInteger();
        /** 5xx answers to the good events posted meanwhile. */
        final AtomicInteger otherServerErrors = new AtomicInteger();
        final Set<String> down = ConcurrentHashMap.newKeySet();

        Row(String attack) {
            this.attack = attack;
        }

        /** A stall of {@code count} (events, or one service) not tied to one request. */
        void stall(int count, String what) {
            stalls.addAndGet(count);
            incidents.add(what);
        }

        void serverErrorOfGoodEvent(String what) {
            otherServerErrors.incrementAndGet();
            incidents.add(what);
        }

        /** A record or a check that is not a request, counted like one. */
        Result check(String what, boolean ok, String why) {
            Result r = new Result(what);
            r.fail(ok ? null : why);
            results.add(r);
            return r;
        }

        int requests() {
            return results.size();
        }

        int asExpected() {
            return count(Result::ok);
        }

        int serverErrors() {
            return count(r -> r.serverError) + otherServerErrors.get();
        }

        int restartedOrStalled() {
            return count(r -> r.stalled) + stalls.get();
        }

        int exposed() {
            return count(r -> r.exposed);
        }

        private int count(Predicate<Result> p) {
            synchronized (results) {
                return (int) results.stream().filter(p).count();
            }
        }

        String line() {
            return String.format("| %s | %,d | %,d | %d | %d | %d |", attack, requests(), asExpected(), serverErrors(),
                    restartedOrStalled(), exposed());
        }

        /** What went wrong, for the report: each request not as expected, each stall. */
        List<String> problems() {
            List<String> found = new ArrayList<>();
            synchronized (results) {
                for (Result r : results) {
                    if (!r.ok()) {
                        found.add(r.what + ": " + String.join("; ", r.problems));
                    }
                }
            }
            synchronized (incidents) {
                incidents.forEach(i -> found.add("stall or 5xx: " + i));
            }
            return found;
        }
    }

    /** A request being put together; {@link #expect} sends it and judges the answer. */
    final class Hit {
        private final String service;
        private final String method;
        private final String target;
        private String token;
        private String cookie;
        private String contentType;
        private byte[] body;
        private boolean chunked;
        private boolean closeIsRefusal;
        private boolean entitled;
        private String naming;
        private String label;
        private Set<Integer> expected = Set.of();
        private final List<String> notEchoing = new ArrayList<>();
        private final Map<String, Predicate<Answer>> checks = new LinkedHashMap<>();
        private final Set<UUID> eventIds = new HashSet<>();
        private Duration timeout = Duration.ofSeconds(10);

        private Hit(String service, String method, String target) {
            this.service = service;
            this.method = method;
            this.target = target;
        }

        /** With a bearer token in the Authorization header. */
        Hit as(String token) {
            this.token = token;
            return this;
        }

        /** With a token in the dashboard's cookie, as a signed-in browser sends it. */
        Hit cookie(String token) {
            this.cookie = token;
            return this;
        }

        Hit json(String body) {
            return body("application/json", body);
        }

        Hit body(String contentType, String body) {
            return body(contentType, body.getBytes(StandardCharsets.UTF_8));
        }

        Hit body(String contentType, byte[] body) {
            this.contentType = contentType;
            this.body = body;
            return this;
        }

        /** Sent without a Content-Length (chunked): the server must count as it reads. */
        Hit chunked() {
            this.chunked = true;
            return this;
        }

        /** A body too large for the server: closing the connection on it is a refusal too (413 is the polite one). */
        Hit closeIsRefusal() {
            this.closeIsRefusal = true;
            this.timeout = Duration.ofSeconds(20);
            return this;
        }

        /** The caller may see what the answer holds (a clinician's own patient): no exposure check. */
        Hit entitled() {
            this.entitled = true;
            return this;
        }

        /** A 400 or 422 must name this field (in violations[].field). */
        Hit naming(String field) {
            this.naming = field;
            return this;
        }

        /** The answer must not carry this input back in full. */
        Hit notEchoing(String input) {
            if (input != null && !input.isEmpty()) {
                notEchoing.add(input);
            }
            return this;
        }

        Hit check(String why, Predicate<Answer> ok) {
            checks.put(why, ok);
            return this;
        }

        /** Event ids in the body: none of them may be stored (checked after the row). */
        Hit events(Collection<UUID> ids) {
            eventIds.addAll(ids);
            return this;
        }

        Hit label(String label) {
            this.label = label;
            return this;
        }

        /** A label unless one was given already. */
        Hit defaultLabel(String label) {
            if (this.label == null) {
                this.label = label;
            }
            return this;
        }

        Hit expecting(int... statuses) {
            this.expected = Arrays.stream(statuses).boxed().collect(Collectors.toCollection(TreeSet::new));
            return this;
        }

        /** Sends it, judges the answer in the current row and returns it. */
        Answer expect(int... statuses) {
            expecting(statuses);
            Answer answer = send(this);
            judge(answer, null);
            return answer;
        }

        /** Judges an answer already received (see {@link #together}); {@code extra}: a further problem, or null. */
        void judge(Answer answer, String extra) {
            Probes.this.judge(this, answer, extra);
        }

        String describe() {
            String who = token != null ? callers.getOrDefault(token, "a token")
                    : cookie != null ? callers.getOrDefault(cookie, "a token") + " (cookie)" : "no token";
            return (label == null ? "" : label + ": ") + method + " " + service.replace("-service", "") + " "
                    + printable(target, 90) + " as " + who;
        }
    }

    /** Sends the requests at the same moment (each on its own thread) and returns their answers, unjudged. */
    List<Answer> together(List<Hit> hits) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(hits.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Answer>> pending = new ArrayList<>();
            for (Hit h : hits) {
                pending.add(pool.submit(() -> {
                    go.await();
                    return send(h);
                }));
            }
            go.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> f : pending) {
                try {
                    answers.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException | TimeoutException e) {
                    answers.add(new Answer(0, "", null, null, e instanceof TimeoutException, e.toString()));
                }
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private Answer send(Hit h) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.url(h.service) + h.target)).timeout(h.timeout);
        if (h.token != null) {
            request.header("Authorization", "Bearer " + h.token);
        }
        if (h.cookie != null) {
            request.header("Cookie", DASHBOARD_COOKIE + "=" + h.cookie);
        }
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
        if (h.body != null) {
            if (h.contentType != null) {
                request.header("Content-Type", h.contentType);
            }
            byte[] bytes = h.body;
            publisher = h.chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                    : HttpRequest.BodyPublishers.ofByteArray(bytes);
        }
        request.method(h.method, publisher);
        try {
            HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8),
                    r.headers().firstValue("content-type").orElse(null), r.headers(), false, null);
        } catch (HttpTimeoutException e) {
            return new Answer(0, "", null, null, true, "no answer within " + h.timeout.toSeconds() + " s");
        } catch (IOException e) {
            return new Answer(0, "", null, null, false, "no answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void judge(Hit h, Answer a, String extra) {
        Result r = new Result(h.describe());
        r.status = a.status();
        r.eventIds = Set.copyOf(h.eventIds);
        if (a.status() == 0) {
            if (!h.closeIsRefusal || a.timedOut()) {
                // a request no service answered: it stalled (or the service is gone)
                r.stalled = true;
                r.fail(a.failure());
            }
        } else {
            if (a.status() >= 500) {
                r.serverError = true;
                r.fail("answered " + a.status() + " " + printable(a.body(), 200));
            } else if (!h.expected.contains(a.status())) {
                r.fail("answered " + a.status() + ", expected " + h.expected + ": " + printable(a.body(), 200));
            }
            if (h.naming != null && (a.status() == 400 || a.status() == 422)
                    && !a.body().contains("\"field\":\"" + h.naming + "\"")) {
                r.fail("does not name " + h.naming + ": " + printable(a.body(), 200));
            }
            for (String input : h.notEchoing) {
                if (a.body().contains(input)) {
                    r.fail("echoes the " + input.length() + "-character input back: " + printable(a.body(), 120));
                }
            }
            if (a.html()) {
                for (String raw : RAW_HTML) {
                    if (a.body().contains(raw)) {
                        r.fail("an HTML answer carries " + raw + " unescaped");
                    }
                }
            }
            for (Map.Entry<String, Predicate<Answer>> check : h.checks.entrySet()) {
                boolean ok;
                try {
                    ok = check.getValue().test(a);
                } catch (RuntimeException e) {
                    ok = false;
                }
                if (!ok) {
                    r.fail(check.getKey() + " (answered " + a.status() + ": " + printable(a.body(), 160) + ")");
                }
            }
            if (!h.entitled && a.status() / 100 == 2) {
                String request = h.target + (h.body == null || h.body.length > 4_000_000 ? "" : new String(h.body, StandardCharsets.UTF_8));
                for (String secret : secrets) {
                    if (a.body().contains(secret) && !request.contains(secret)) {
                        r.exposed = true;
                        r.fail("a 2xx carrying another patient's data (" + printable(secret, 60) + ")");
                        break;
                    }
                }
            }
        }
        r.fail(extra);
        row().results.add(r);
    }

    /** Polls every service's liveness every half second until {@link #stopWatching}; notes the processes running now. */
    void watch() {
        processes = serviceProcesses();
        watching = true;
        watcher = new Thread(() -> {
            while (watching) {
                Row row = current;
                for (String service : SERVICES) {
                    int status = liveness(service);
                    if (status != 200 && row != null && row.down.add(service)) {
                        row.stall(1, service + " /q/health/live answered " + (status == 0 ? "nothing" : status));
                    }
                }
                PatientApps.sleep(500);
            }
        }, "hostile-input-liveness");
        watcher.setDaemon(true);
        watcher.start();
    }

    void stopWatching() throws InterruptedException {
        watching = false;
        if (watcher != null) {
            watcher.join(15_000);
        }
    }

    /** The status of a service's liveness probe; 0 when it does not answer within 5 s. */
    int liveness(String service) {
        try {
            return health.send(HttpRequest.newBuilder(URI.create(system.url(service) + "/q/health/live"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Service processes that ran when the watch began and have ended since (died, killed or restarted), once each. */
    List<String> goneSinceWatchBegan() {
        List<String> gone = new ArrayList<>();
        processes.forEach((service, pids) -> pids.forEach(pid -> {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && reportedGone.add(pid)) {
                gone.add(service + " (pid " + pid + ")");
            }
        }));
        return gone;
    }

    /** Whether a service's process (as found when the watch began) has ended. */
    boolean processGone(String service) {
        Set<Long> pids = processes.getOrDefault(service, Set.of());
        return !pids.isEmpty() && pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /** The services' JVMs this JVM started, found by the jar they run (ServiceProcess starts them as children). */
    static Map<String, Set<Long>> serviceProcesses() {
        Map<String, Set<Long>> found = new TreeMap<>();
        ProcessHandle.current().children().forEach(p -> p.info().arguments().ifPresent(args -> {
            for (String arg : args) {
                for (String service : SERVICES) {
                    if (arg.endsWith(Path.of(service, "target", "quarkus-app", "quarkus-run.jar").toString())) {
                        found.computeIfAbsent(service, s -> new TreeSet<>()).add(p.pid());
                    }
                }
            }
        }));
        return found;
    }

    String table() {
        return HEADER + "\n" + rows.stream().map(Row::line).collect(Collectors.joining("\n")) + "\n";
    }

    /** Everything not as expected, at most {@code perRow} lines per attack. */
    String problems(int perRow) {
        StringBuilder text = new StringBuilder();
        for (Row row : rows) {
            List<String> problems = row.problems();
            if (problems.isEmpty()) {
                continue;
            }
            text.append("\n").append(row.attack).append(": ").append(problems.size()).append(" not as expected\n");
            problems.stream().limit(perRow).forEach(p -> text.append("  - ").append(p).append("\n"));
            if (problems.size() > perRow) {
                text.append("  - ... ").append(problems.size() - perRow).append(" more\n");
            }
        }
        return text.toString();
    }

    /** A path segment or query value as a browser would encode it. */
    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Input or an answer fit for a report line: control and bidi characters shown as escapes, long text cut. */
    static String printable(String s, int max) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < s.length() && b.length() < max) {
            int c = s.codePointAt(i);
            if (c < 0x20 || c == 0x7f || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
                b.append(String.format("\\u%04x", c));
            } else if (c == '|') {
                b.append("\\|");
            } else {
                b.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        if (i < s.length()) {
            b.append("... (").append(String.format("%,d", s.length())).append(" chars)");
        }
        return b.toString();
    }
}
