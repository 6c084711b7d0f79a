package org.sciaticahep.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.KafkaBroker;
import org.sciaticahep.stack.Ports;
import org.sciaticahep.stack.PatientKeyStore;
import org.sciaticahep.stack.PostgresServer;
import org.sciaticahep.stack.ServiceProcess;
import org.sciaticahep.stack.Tokens;

/**
 * The whole system as real processes on loopback, each of which a test may kill, stop or restart: an embedded
 * PostgreSQL, a KRaft Kafka broker, and instances of the three services from their packaged jars. An instance is
 * named by its service and a number ({@code session-service#2}); instances of one service share its database and,
 * for insights, its consumer group.
 */
final class WholeSystem implements AutoCloseable {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Map<String, String> DATABASES = Map.of("catalog-service", "catalog", "session-service", "session",
            "insights-service", "insights");

    final Path directory;
    final Tokens tokens;
    final KafkaBroker kafka;
    private final int postgresPort;
    private PostgresServer postgres;
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, ServiceProcess> running = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private WholeSystem(Path directory) {
        this.directory = directory;
        this.tokens = Tokens.inDirectory(directory.resolve("jwt"));
        this.postgresPort = Ports.free();
        this.postgres = PostgresServer.embedded(directory.resolve("postgres"), postgresPort);
        DATABASES.values().forEach(postgres::ensureDatabase);
        this.kafka = new KafkaBroker(directory.resolve("kafka"), Ports.free(), Ports.free(), "256m").start();
        kafka.createTopics(Topics.ALL);
        kafka.withPatientKeys(PatientKeyStore.inDirectory(directory.resolve("patient-keys"), postgres, PatientKeyStore.DATABASE));
    }

    static WholeSystem start() throws IOException {
        WholeSystem system = new WholeSystem(Files.createTempDirectory("hep-reliability-"));
        for (String service : DATABASES.keySet().stream().sorted().toList()) {
            system.start(service);
        }
        return system;
    }

    /** Starts an instance ({@code insights-service} or {@code insights-service#2}) and waits until it is ready. */
    ServiceProcess start(String instance) {
        String service = instance.split("#")[0];
        Map<String, String> env = new HashMap<>(postgres.serviceEnvironment(DATABASES.get(service)));
        env.putAll(kafka.serviceEnvironment(service));
        env.put("JWT_PUBLIC_KEY_LOCATION", tokens.publicKey().toString());
        env.putAll(kafka.patientKeys().serviceEnvironment());
        int port = ports.computeIfAbsent(instance, i -> Ports.free());
        Path log = ROOT.resolve("reliability-tests/target").resolve(instance.replace('#', '-') + ".log");
        ServiceProcess process = ServiceProcess.start(ROOT, service, port, env, log).awaitReady(Duration.ofSeconds(120));
        running.put(instance, process);
        return process;
    }

    /** SIGKILL: the instance dies as with a power cut, in the middle of whatever it was doing. */
    void kill(String instance) {
        running.remove(instance).kill();
    }

    /** SIGTERM, as an orchestrator scales an instance down. */
    void stop(String instance) {
        running.remove(instance).stop();
    }

    String url(String instance) {
        return "http://localhost:" + ports.get(instance);
    }

    void stopPostgres() {
        postgres.close();
    }

    /** The same server again, on the same data and port: the services reconnect by themselves. */
    void startPostgres() {
        postgres = PostgresServer.embedded(directory.resolve("postgres"), postgresPort);
    }

    Connection database(String name) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(name), postgres.user(), postgres.password());
    }

    /** How many of these events insights has applied (taken by its facts, in the same transaction as what they change). */
    int appliedCount(List<UUID> eventIds) throws SQLException {
        try (Connection db = database("insights");
             PreparedStatement count = db.prepareStatement("SELECT count(*) FROM applied_event WHERE event_id = ANY(?)")) {
            count.setArray(1, db.createArrayOf("uuid", eventIds.toArray()));
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    boolean applied(List<UUID> eventIds) throws SQLException {
        return appliedCount(eventIds) == eventIds.size();
    }

    /** Posts JSON to an instance with a bearer token; an instance that does not answer is an IOException. */
    HttpResponse<String> post(String instance, String path, String body, String token) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url(instance) + path)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** An instance's metrics in Prometheus' text format, read as ops do. */
    String metrics(String instance) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url(instance) + "/q/metrics")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + tokens.ops()).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The HTTP status of an instance's readiness probe; 0 when it does not answer at all. */
    int readiness(String instance) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url(instance) + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running.values().forEach(ServiceProcess::stop);
        kafka.stop();
        postgres.close();
        try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
