package org.sciaticahep.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.PayloadCipher;

/**
 * Where the services keep patients' data keys (the {@code patient_keys} database, which session-service and
 * insights-service migrate) and the master key that wraps them: 32 random bytes made on first use, kept with the
 * stack's data, readable by this machine's user only, never committed. Tests open sealed records with it as
 * insights-service does.
 */
public final class PatientKeyStore {

    public static final String DATABASE = "patient_keys";
    private static final String MASTER = "master.key";
    /** The master key as a variable, for docker compose's --env-file. */
    private static final String COMPOSE_ENV = "compose.env";

    private final PostgresServer postgres;
    private final String database;
    private final byte[] master;

    private PatientKeyStore(PostgresServer postgres, String database, byte[] master) {
        this.postgres = postgres;
        this.database = database;
        this.master = master;
    }

    /** The master key kept in {@code directory} (made on first use); {@code postgres} may be null where only that is needed. */
    public static synchronized PatientKeyStore inDirectory(Path directory, PostgresServer postgres, String database) {
        Path file = directory.resolve(MASTER);
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[PayloadCipher.KEY_BYTES];
                new SecureRandom().nextBytes(key);
                String base64 = Base64.getEncoder().encodeToString(key);
                KafkaCredentials.writePrivately(file, base64 + "\n");
                KafkaCredentials.writePrivately(directory.resolve(COMPOSE_ENV), "PATIENT_KEY_MASTER=" + base64 + "\n");
            }
            byte[] master = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.UTF_8).trim());
            if (postgres != null) {
                postgres.ensureDatabase(database);
            }
            return new PatientKeyStore(postgres, database, master);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the patient keys' master key in " + directory, e);
        }
    }

    /** What session-service and insights-service are started with to reach the keys. */
    public Map<String, String> serviceEnvironment() {
        return Map.of("PATIENT_KEYS_DB", database, "PATIENT_KEY_MASTER", Base64.getEncoder().encodeToString(master));
    }

    /** Whether the record's value is sealed ({@code ce_encryption}). */
    public static boolean sealed(ConsumerRecord<String, String> record) {
        return TopicReader.header(record, CloudEventHeaders.ENCRYPTION) != null;
    }

    /**
     * The record's JSON body: opened with its patient's key as the store has it now when sealed; null when that key
     * is gone (erased) or was never made. Fails on a record that does not open with its patient's key.
     */
    public String open(ConsumerRecord<String, String> record) {
        return open(record, new java.util.HashMap<>());
    }

    /** The same, with the keys already read by the caller ({@code known}, filled as keys are read: one reader's). */
    String open(ConsumerRecord<String, String> record, Map<String, byte[]> known) {
        if (!sealed(record)) {
            return record.value();
        }
        byte[] key = known.computeIfAbsent(record.key(), this::key);
        if (key == null) {
            return null;
        }
        return PayloadCipher.openText(key, record.value(), PayloadCipher.recordContext(record.key(),
                TopicReader.header(record, CloudEventHeaders.ID), TopicReader.header(record, CloudEventHeaders.TYPE)));
    }

    /** The patient's data key as the store has it now; null when erased or never made. */
    public byte[] key(String patientId) {
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(database), postgres.user(), postgres.password());
             PreparedStatement read = db.prepareStatement("SELECT wrapped_key FROM patient_key WHERE patient_id = ?")) {
            read.setString(1, patientId);
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next() || rs.getBytes(1) == null) {
                    return null;
                }
                return PayloadCipher.open(master, rs.getBytes(1), PayloadCipher.keyContext(patientId));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the patient keys", e);
        }
    }
}
