package org.sciaticahep.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Who may talk to the broker, and their passwords: made on the broker's first start with its data (like the token key
 * pair), readable by this machine's user only, never committed. {@code admin} is the operator (topics, users, ACLs;
 * the tests' own clients, which inject what no service would send); each service has its own principal.
 */
public final class KafkaCredentials {

    /** The broker's super user, over SASL/PLAIN; it is also what the broker and its controller use between themselves. */
    public static final String ADMIN = "admin";
    public static final String CATALOG = "catalog-service";
    public static final String SESSION = "session-service";
    public static final String INSIGHTS = "insights-service";
    /** One principal per service, authenticated with SCRAM-SHA-512. */
    public static final List<String> SERVICES = List.of(CATALOG, SESSION, INSIGHTS);

    private static final String FILE = "credentials.properties";
    /** The same passwords as variables, for docker compose's --env-file. */
    private static final String COMPOSE_ENV = "compose.env";
    private final Properties passwords;

    private KafkaCredentials(Properties passwords) {
        this.passwords = passwords;
    }

    /** The credentials kept in {@code directory}, made (and kept) on first use. */
    public static synchronized KafkaCredentials inDirectory(Path directory) {
        Path file = directory.resolve(FILE);
        Properties passwords = new Properties();
        try {
            if (Files.exists(file)) {
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    passwords.load(in);
                }
            }
            boolean made = false;
            for (String principal : principals()) {
                if (passwords.getProperty(principal) == null) {
                    passwords.setProperty(principal, secret());
                    made = true;
                }
            }
            if (made) {
                StringWriter out = new StringWriter();
                passwords.store(out, "Kafka principals of this stack (made on first start; keep private)");
                writePrivately(file, out.toString());
            }
            if (made || !Files.exists(directory.resolve(COMPOSE_ENV))) {
                StringBuilder env = new StringBuilder();
                for (String principal : principals()) {
                    env.append(variable(principal)).append('=').append(passwords.getProperty(principal)).append('\n');
                }
                writePrivately(directory.resolve(COMPOSE_ENV), env.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep Kafka credentials in " + directory, e);
        }
        return new KafkaCredentials(passwords);
    }

    /** {@code insights-service} → {@code KAFKA_INSIGHTS_SERVICE_PASSWORD}: how docker-compose.yml names it. */
    public static String variable(String principal) {
        return "KAFKA_" + principal.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_PASSWORD";
    }

    /** The credentials a running stack made; fails if it made none there (a client must not invent passwords). */
    public static KafkaCredentials existing(Path directory) {
        if (!Files.exists(directory.resolve(FILE))) {
            throw new IllegalStateException("no Kafka credentials in " + directory + ": start the stack there first (./stack.sh)");
        }
        return inDirectory(directory);
    }

    /** Writes {@code file} readable by this user only, whole or not at all (a temporary file moved into place). */
    static void writePrivately(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path fresh = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".new");
        Files.writeString(fresh, content, StandardCharsets.UTF_8);
        Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public String password(String principal) {
        String password = passwords.getProperty(principal);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka principal " + principal);
        }
        return password;
    }

    /** What a Kafka client of {@code principal} is configured with, besides its bootstrap servers. */
    public Map<String, Object> client(String principal) {
        Map<String, Object> config = new HashMap<>();
        config.put("security.protocol", "SASL_PLAINTEXT");
        if (ADMIN.equals(principal)) {
            config.put("sasl.mechanism", "PLAIN");
            config.put("sasl.jaas.config", jaas("org.apache.kafka.common.security.plain.PlainLoginModule", principal));
        } else {
            config.put("sasl.mechanism", "SCRAM-SHA-512");
            config.put("sasl.jaas.config", jaas("org.apache.kafka.common.security.scram.ScramLoginModule", principal));
        }
        return config;
    }

    /** The variables a service reads its own principal from (service-support's microprofile-config.properties). */
    public Map<String, String> serviceEnvironment(String service) {
        if (!SERVICES.contains(service)) {
            throw new IllegalArgumentException("no Kafka principal for " + service);
        }
        return Map.of("KAFKA_USERNAME", service, "KAFKA_PASSWORD", password(service));
    }

    /** The JAAS line of the broker's PLAIN listeners: the admin's own login and the one user PLAIN accepts. */
    String brokerPlainJaas() {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN + "\" password=\""
                + password(ADMIN) + "\" user_" + ADMIN + "=\"" + password(ADMIN) + "\";";
    }

    private String jaas(String module, String principal) {
        return module + " required username=\"" + principal + "\" password=\"" + password(principal) + "\";";
    }

    private static List<String> principals() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(ADMIN), SERVICES.stream()).toList();
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        // base64url: nothing a JAAS line would have to quote
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
