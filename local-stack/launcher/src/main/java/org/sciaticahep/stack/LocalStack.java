package org.sciaticahep.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.sciaticahep.contracts.Topics;

/**
 * Runs the whole system on this machine: PostgreSQL, Kafka and the three services, each checked healthy before
 * the URLs are printed. Ctrl-C stops everything; the data directory survives for the next start.
 *
 * <p>Arguments: {@code --root DIR} (the repository), {@code --wipe} (start from empty data), {@code --prometheus}
 * (also Prometheus with deploy/prometheus's rules, on :9090), {@code --demo} (fill it with {@link DemoClinic}'s
 * synthetic clinic through the services' APIs).
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
    private final List<ServiceProcess> services = new ArrayList<>();
    private PostgresServer postgres;
    private KafkaBroker kafka;
    private PrometheusServer prometheus;

    private Tokens tokens;

    private LocalStack(Path root) {
        this.root = root;
        this.data = root.resolve(".stack-data");
    }

    /** Where the local stack keeps its token key pair: made on first start, kept with the data, never committed. */
    static Path keyDirectory(Path root) {
        return root.resolve(".stack-data").resolve("jwt");
    }

    /** Where the local stack keeps the master key of the patients' data keys. */
    static Path patientKeyDirectory(Path root) {
        return root.resolve(".stack-data").resolve("patient-keys");
    }

    /** Where the local stack's broker keeps its data and its principals' passwords. */
    static Path kafkaDirectory(Path root) {
        return root.resolve(".stack-data").resolve("kafka");
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".").toAbsolutePath().normalize();
        boolean wipe = false;
        boolean withPrometheus = false;
        boolean demo = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
                case "--wipe" -> wipe = true;
                case "--prometheus" -> withPrometheus = true;
                case "--demo" -> demo = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (use --root DIR, --wipe, --prometheus, --demo)");
            }
        }
        LocalStack stack = new LocalStack(root);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.stop();
            stopped.countDown();
        }, "local-stack-shutdown"));
        try {
            stack.start(wipe, withPrometheus, demo);
        } catch (RuntimeException | IOException | InterruptedException e) {
            System.err.println("Local stack failed to start: " + e.getMessage());
            System.exit(1);
        }
        stopped.await();
    }

    private void start(boolean wipe, boolean withPrometheus, boolean demo) throws IOException, InterruptedException {
        if (wipe) {
            deleteRecursively(data);
            say("wiped " + data);
        }
        // the stack's data is patients' data: this machine's user only
        Files.createDirectories(data, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(data.resolve("logs"));
        tokens = Tokens.inDirectory(keyDirectory(root));

        postgres = PostgresServer.external(System.getenv());
        if (postgres == null) {
            say("starting embedded PostgreSQL on 127.0.0.1:" + EMBEDDED_POSTGRES_PORT);
            postgres = PostgresServer.embedded(data.resolve("postgres"), EMBEDDED_POSTGRES_PORT);
        } else {
            say("using PostgreSQL at " + postgres.host() + ":" + postgres.port());
        }
        SERVICES.forEach(s -> postgres.ensureDatabase(s.database()));

        say("starting Kafka (KRaft) on 127.0.0.1:" + KAFKA_PORT);
        kafka = new KafkaBroker(kafkaDirectory(root), KAFKA_PORT, KAFKA_CONTROLLER_PORT, "512m").start()
                .withPatientKeys(PatientKeyStore.inDirectory(patientKeyDirectory(root), postgres, PatientKeyStore.DATABASE));
        kafka.createTopics(Topics.ALL);

        for (Service service : SERVICES) {
            services.add(launch(service));
        }
        for (ServiceProcess service : services) {
            service.awaitReady(HEALTH_TIMEOUT);
            say(service.name() + " is ready");
        }
        if (withPrometheus) {
            Path dir = data.resolve("prometheus");
            Path config = PrometheusServer.writeConfig(root, dir, SERVICES, tokens.mint(Tokens.OPS, "prometheus", Duration.ofDays(30)));
            say("starting Prometheus on 127.0.0.1:" + PrometheusServer.PORT + " (config: " + root.relativize(config) + ")");
            prometheus = PrometheusServer.start(config, dir.resolve("data"), data.resolve("logs").resolve("prometheus.log"));
        }
        if (demo) {
            say("filling the demo clinic (40 patients over 8 weeks, through the services' APIs)");
            int events = new DemoClinic(URI.create("http://localhost:8082"), tokens, System.out).fill();
            say("demo clinic: " + events + " events posted; insights shows them within seconds");
        }
        printWhereToLook(demo);
    }

    private ServiceProcess launch(Service service) {
        Map<String, String> env = new HashMap<>(postgres.serviceEnvironment(service.database()));
        env.putAll(kafka.serviceEnvironment(service.name()));
        env.put("JWT_PUBLIC_KEY_LOCATION", tokens.publicKey().toString());
        env.putAll(kafka.patientKeys().serviceEnvironment());
        // alert receivers tried out on this machine listen on plain http at loopback; nowhere else may they
        env.put("ALERTS_ALLOW_LOOPBACK_HTTP", "true");
        // a page to try the API with, on this machine only (deploy/ leaves it off)
        env.put("SWAGGER_UI_ENABLED", "true");
        Path log = data.resolve("logs").resolve(service.name() + ".log");
        say("starting " + service.name() + " on :" + service.port() + " (log: " + root.relativize(log) + ")");
        return ServiceProcess.start(root, service.name(), service.port(), env, log);
    }

    private void printWhereToLook(boolean demo) {
        StringBuilder out = new StringBuilder("\nSciatica home exercise programs are running:\n");
        for (Service s : SERVICES) {
            out.append(String.format("  %-17s http://localhost:%d%s%n", s.name(), s.port(), s.lookAt()));
        }
        out.append(String.format("  %-17s http://localhost:%d/q/openapi  (also :%d, :%d)%n", "OpenAPI", 8081, 8082, 8083));
        out.append(String.format("  %-17s http://localhost:%d/q/swagger-ui  (also :%d, :%d; Authorize with a ./token.sh token)%n",
                "Swagger UI", 8081, 8082, 8083));
        out.append(String.format("  %-17s http://localhost:%d/q/metrics  (also :%d, :%d)%n", "metrics", 8081, 8082, 8083));
        if (prometheus != null) {
            out.append(String.format("  %-17s http://localhost:%d/alerts  (rules: deploy/prometheus/rules.yml)%n", "Prometheus",
                    PrometheusServer.PORT));
        }
        out.append(String.format("  %-17s %s (SASL: admin and the services' passwords in .stack-data/kafka/credentials.properties)%n",
                "Kafka", kafka.bootstrapServers()));
        out.append(String.format("  %-17s %s:%d (databases catalog, session, insights, patient_keys; user %s)%n", "PostgreSQL",
                postgres.host(), postgres.port(), postgres.user()));
        out.append("  logs              .stack-data/logs/\n\n");
        out.append("Every call needs a bearer token (health probes aside); mint one for local use with\n");
        out.append("  ./token.sh patient p-001 | ./token.sh clinician c-001 | ./token.sh catalog-editor | ./token.sh ops"
                + " | ./token.sh admin\n");
        out.append("and send it as 'Authorization: Bearer <token>'; the dashboard asks a clinician for theirs.\n\n");
        if (demo) {
            out.append("The demo clinic: sign in at http://localhost:8083 with  ./token.sh clinician c-demo-1  (or c-demo-2):\n");
            out.append("20 patients each; the review queue starts with a red flag (leg weakness), then pain worse after an exercise\n");
            out.append("(\"pause this exercise\"), patients not improving after six weeks, low adherence and quiet ones; the patient\n");
            out.append("list shows who is improving and who is ready for a step up; discharged patients have ended care.\n\n");
        }
        out.append("Press Ctrl-C to stop everything.\n");
        System.out.println(out);
    }

    private void stop() {
        say("stopping");
        if (prometheus != null) {
            prometheus.stop();
        }
        services.forEach(ServiceProcess::stop);
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
