package org.sciaticahep.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For tests of the whole path (POST to session-service → Kafka → a consumer): catalog-service and
 * session-service as real processes, from the jars Maven built earlier in the same build, on free ports, against
 * the test run's PostgreSQL and Kafka. Started once per test JVM; stopped when it exits.
 */
public final class Pipeline {

    private static final String PREFIX = "sciaticahep.test.pipeline.";

    private Pipeline() {
    }

    /** The base URL of a running upstream service ("catalog-service" or "session-service"), started if needed. */
    public static String url(String service) {
        synchronized (System.getProperties()) {
            if (System.getProperty(PREFIX + "started") == null) {
                start();
                System.setProperty(PREFIX + "started", "true");
            }
            return System.getProperty(PREFIX + service);
        }
    }

    private static void start() {
        PostgresServer postgres = StackTestResource.postgres();
        KafkaBroker kafka = StackTestResource.kafka();
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path logs = Path.of("target").toAbsolutePath();
        List<String[]> services = List.of(new String[] {"catalog-service", "catalog"}, new String[] {"session-service", "session"});
        for (String[] s : services) {
            String database = StackTestResource.database(s[1]);
            postgres.ensureDatabase(database);
            Map<String, String> env = new HashMap<>(postgres.serviceEnvironment(database));
            env.putAll(kafka.serviceEnvironment(s[0]));
            env.put("JWT_PUBLIC_KEY_LOCATION", StackTestResource.tokens().publicKey().toString());
            env.putAll(kafka.patientKeys().serviceEnvironment());
            // as in production: one JSON object per line, which the operations test reads
            env.put("LOG_JSON", "true");
            ServiceProcess process = ServiceProcess.start(root, s[0], Ports.free(), env, logs.resolve(s[0] + ".log"));
            Runtime.getRuntime().addShutdownHook(new Thread(process::stop, "stop-" + s[0]));
            process.awaitReady(Duration.ofSeconds(120));
            System.setProperty(PREFIX + s[0], process.url());
        }
    }
}
