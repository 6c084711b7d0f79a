package org.sciaticahep.stack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.sciaticahep.contracts.Topics;

/**
 * Gives a service's tests a real PostgreSQL database and a real Kafka broker on free ports. Both are started once
 * per test JVM and shared by every test class; they stop when the JVM exits.
 *
 * <p>Quarkus loads this class again for each restart of the application under test (a test profile), so the
 * servers are found through system properties, which every class loader of the JVM shares, not a static field.
 *
 * <p>Init arg {@code database}: the service's database name. For insights, session-service and catalog-service run
 * too ({@link Pipeline}): its dashboard calls session-service.
 */
public class StackTestResource implements QuarkusTestResourceLifecycleManager {

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", "app");
    }

    @Override
    public Map<String, String> start() {
        Infrastructure infra = infrastructure();
        String name = database(database);
        infra.postgres.ensureDatabase(name);
        Map<String, String> config = new HashMap<>(infra.postgres.serviceEnvironment(name));
        // the service under test logs in to Kafka as its own principal (catalog → catalog-service)
        config.putAll(infra.kafka.serviceEnvironment(database + "-service"));
        config.put("JWT_PUBLIC_KEY_LOCATION", tokens().publicKey().toString());
        config.putAll(infra.kafka.patientKeys().serviceEnvironment());
        // as in the local stack
        config.put("SWAGGER_UI_ENABLED", "true");
        if ("insights".equals(database)) {
            // insights' dashboard changes prescriptions at session-service: the real one, as in the stack
            config.put("SESSION_SERVICE_URL", Pipeline.url("session-service"));
        }
        return config;
    }

    @Override
    public void stop() {
        // shared by every test class of the run; stopped by the JVM shutdown hook
    }

    /** A service's database name in this test run: on a shared external server, one of the run's own. */
    public static String database(String service) {
        return database(postgres(), service);
    }

    private static String database(PostgresServer postgres, String service) {
        // the run's own embedded server, whichever class loader asks (a server found again by its port is not "embedded")
        return PostgresServer.external(System.getenv()) == null ? service : service + "_test_" + ProcessHandle.current().pid();
    }

    /** The run's patient keys: the master key with the run's files, the keys in a database of the run's. */
    private static PatientKeyStore patientKeys(Path directory, PostgresServer postgres) {
        return PatientKeyStore.inDirectory(directory.resolve("patient-keys"), postgres, database(postgres, PatientKeyStore.DATABASE));
    }

    /** The test run's broker, for tests that stop and restart it. */
    public static KafkaBroker kafka() {
        return infrastructure().kafka;
    }

    public static PostgresServer postgres() {
        return infrastructure().postgres;
    }

    /** Mints the test run's tokens; the services under test verify them with its public key. */
    public static Tokens tokens() {
        return Tokens.inDirectory(infrastructure().directory.resolve("jwt"));
    }

    private static final String DIRECTORY = "sciaticahep.test.stack.directory";
    private static final String POSTGRES_PORT = "sciaticahep.test.stack.postgres.port";
    private static final String KAFKA_PORT = "sciaticahep.test.stack.kafka.port";
    private static final String KAFKA_CONTROLLER_PORT = "sciaticahep.test.stack.kafka.controller.port";

    private static Infrastructure infrastructure() {
        synchronized (System.getProperties()) {
            if (System.getProperty(DIRECTORY) == null) {
                Infrastructure started = Infrastructure.start();
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stack-test-shutdown"));
                System.setProperty(DIRECTORY, started.directory.toString());
                System.setProperty(POSTGRES_PORT, String.valueOf(started.postgres.port()));
                System.setProperty(KAFKA_PORT, String.valueOf(started.kafka.port()));
                System.setProperty(KAFKA_CONTROLLER_PORT, String.valueOf(started.kafka.controllerPort()));
                return started;
            }
            Path directory = Path.of(System.getProperty(DIRECTORY));
            PostgresServer external = PostgresServer.external(System.getenv());
            PostgresServer postgres = external != null ? external
                    : PostgresServer.running("127.0.0.1", Integer.getInteger(POSTGRES_PORT));
            return new Infrastructure(directory, postgres, new KafkaBroker(directory.resolve("kafka"),
                    Integer.getInteger(KAFKA_PORT), Integer.getInteger(KAFKA_CONTROLLER_PORT), HEAP)
                    .withPatientKeys(patientKeys(directory, postgres)));
        }
    }

    private static final String HEAP = "256m";

    private record Infrastructure(Path directory, PostgresServer postgres, KafkaBroker kafka) implements AutoCloseable {

        static Infrastructure start() {
            try {
                Path directory = Files.createTempDirectory("hep-test-");
                PostgresServer external = PostgresServer.external(System.getenv());
                PostgresServer postgres = external != null ? external
                        : PostgresServer.embedded(directory.resolve("postgres"), Ports.free());
                KafkaBroker kafka = new KafkaBroker(directory.resolve("kafka"), Ports.free(), Ports.free(), HEAP).start();
                kafka.createTopics(Topics.ALL);
                kafka.withPatientKeys(patientKeys(directory, postgres));
                return new Infrastructure(directory, postgres, kafka);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            kafka.stop();
            postgres.close();
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover temp directory is harmless
            }
        }
    }
}
