package org.sciaticahep.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.sciaticahep.contracts.Topics;

/**
 * Runs the whole system on this machine: PostgreSQL, Kafka and the three services, each checked healthy before
 * the URLs are printed. Ctrl-C stops everything; the data directory survives for the next start.
 *
 * <p>Arguments: {@code --root DIR} (the repository), {@code --wipe} (start from empty data).
 */
public final class LocalStack {

    static final int KAFKA_PORT = 9092;
    static final int KAFKA_CONTROLLER_PORT = 9093;
    static final int EMBEDDED_POSTGRES_PORT = 54320;
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(180);

    /** The three services: name, HTTP port, database, and the page worth opening first. */
    record Service(String name, int port, String database, String lookAt) {
    }

    static final List<Service> SERVICES = List.of(
            new Service("catalog-service", 8081, "catalog", "/exercises"),
            new Service("session-service", 8082, "session", "/q/health/ready"),
            new Service("insights-service", 8083, "insights", "/"));

    private final Path root;
    private final Path data;
    private final List<Process> services = new ArrayList<>();
    private PostgresServer postgres;
    private KafkaBroker kafka;

    private LocalStack(Path root) {
        this.root = root;
        this.data = root.resolve(".stack-data");
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".").toAbsolutePath().normalize();
        boolean wipe = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--wipe" -> wipe = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (use --root DIR, --wipe)");
            }
        }
        LocalStack stack = new LocalStack(root);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            stopped.countDown();
        }, "local-stack-shutdown"));
        try {
            stack.start(wipe);
        } catch (RuntimeException | IOException e) {
            System.err.println("Local stack failed to start: " + e.getMessage());
            System.exit(1);
        }
        stopped.await();
    }

    private void start(boolean wipe) throws IOException {
        if (wipe) {
            deleteRecursively(data);
            say("wiped " + data);
        }
        Files.createDirectories(data.resolve("logs"));

        postgres = PostgresServer.external(System.getenv());
        if (postgres == null) {
            say("starting embedded PostgreSQL on 127.0.0.1:" + EMBEDDED_POSTGRES_PORT);
            postgres = PostgresServer.embedded(data.resolve("postgres"), EMBEDDED_POSTGRES_PORT);
        } else {
            say("using PostgreSQL at " + postgres.host() + ":" + postgres.port());
        }
        SERVICES.forEach(s -> postgres.ensureDatabase(s.database()));

        say("starting Kafka (KRaft) on 127.0.0.1:" + KAFKA_PORT);
        kafka = new KafkaBroker(data.resolve("kafka"), KAFKA_PORT, KAFKA_CONTROLLER_PORT, "512m").start();
        kafka.createTopics(Topics.ALL);

        for (Service service : SERVICES) {
            services.add(launch(service));
        }
        for (Service service : SERVICES) {
            awaitHealthy(service);
        }
        printWhereToLook();
    }

    private Process launch(Service service) throws IOException {
        Path jar = root.resolve(service.name()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./stack.sh does)");
        }
        Map<String, String> env = new HashMap<>(postgres.serviceEnvironment(service.database()));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(service.port()));
        Path log = data.resolve("logs").resolve(service.name() + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // sized from the benchmarks' measured RSS (docs/benchmarks.md); SerialGC: 2 cores, small heaps
                "-XX:+UseSerialGC", "-Xms64m", "-Xmx128m", "-XX:MaxMetaspaceSize=128m",
                "-XX:ReservedCodeCacheSize=64m", "-XX:MaxDirectMemorySize=64m", "-Xss512k",
                "-jar", jar.toString())
                .directory(root.resolve(service.name()).toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        say("starting " + service.name() + " on :" + service.port() + " (log: " + root.relativize(log) + ")");
        return builder.start();
    }

    private void awaitHealthy(Service service) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://localhost:" + service.port() + "/q/health/ready");
        Instant deadline = Instant.now().plus(HEALTH_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    say(service.name() + " is ready");
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(service.name() + " not ready within " + HEALTH_TIMEOUT
                + "; see .stack-data/logs/" + service.name() + ".log");
    }

    private void printWhereToLook() {
        StringBuilder out = new StringBuilder("\nSciatica home exercise programs are running:\n");
        for (Service s : SERVICES) {
            out.append(String.format("  %-17s http://localhost:%d%s%n", s.name(), s.port(), s.lookAt()));
        }
        out.append(String.format("  %-17s http://localhost:%d/q/openapi  (also :%d, :%d)%n", "OpenAPI", 8081, 8082, 8083));
        out.append(String.format("  %-17s http://localhost:%d/q/metrics  (also :%d, :%d)%n", "metrics", 8081, 8082, 8083));
        out.append(String.format("  %-17s %s%n", "Kafka", kafka.bootstrapServers()));
        out.append(String.format("  %-17s %s:%d (databases catalog, session, insights; user %s)%n", "PostgreSQL",
                postgres.host(), postgres.port(), postgres.user()));
        out.append("  logs              .stack-data/logs/\n\nPress Ctrl-C to stop everything.\n");
        System.out.println(out);
    }

    private void stop() {
        say("stopping");
        for (Process p : services) {
            p.destroy();
        }
        for (Process p : services) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (kafka != null) {
            kafka.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
        say("stopped; data kept in " + data + " (start with --wipe to empty it)");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void say(String line) {
        System.out.println("[stack] " + line);
    }
}
