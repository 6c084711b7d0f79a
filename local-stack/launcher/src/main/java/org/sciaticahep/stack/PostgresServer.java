package org.sciaticahep.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * A real PostgreSQL: the server named by {@code POSTGRES_HOST} (with {@code POSTGRES_PORT}, {@code POSTGRES_USER},
 * {@code POSTGRES_PASSWORD}) when one is configured, otherwise one started from embedded binaries.
 */
public final class PostgresServer implements AutoCloseable {

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;

    private PostgresServer(String host, int port, String user, String password, EmbeddedPostgres embedded) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    /** The configured external server, or null when {@code POSTGRES_HOST} is not set. */
    public static PostgresServer external(Map<String, String> env) {
        String host = env.get("POSTGRES_HOST");
        if (host == null || host.isBlank()) {
            return null;
        }
        return new PostgresServer(host, Integer.parseInt(env.getOrDefault("POSTGRES_PORT", "5432")),
                env.getOrDefault("POSTGRES_USER", "postgres"), env.getOrDefault("POSTGRES_PASSWORD", ""), null);
    }

    /** A server already running on this machine with the embedded defaults (user postgres, trust auth). */
    static PostgresServer running(String host, int port) {
        return new PostgresServer(host, port, "postgres", "", null);
    }

    /** Starts PostgreSQL from embedded binaries; an existing data directory is reused, so data survives restarts. */
    public static PostgresServer embedded(Path dataDirectory, int port) {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    // the first start runs initdb too; on two busy cores the default 10 s is not always enough
                    .setPGStartupWait(Duration.ofSeconds(90))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("max_wal_size", "2GB")
                    .start();
            return new PostgresServer("127.0.0.1", pg.getPort(), "postgres", "", pg);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** Creates the database unless it exists: each service owns one. */
    public void ensureDatabase(String database) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE \"" + database.replace("\"", "") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database + " on " + host + ":" + port, e);
        }
    }

    /** The variables every service reads to reach its database. */
    public Map<String, String> serviceEnvironment(String database) {
        return Map.of("POSTGRES_HOST", host, "POSTGRES_PORT", String.valueOf(port), "POSTGRES_USER", user,
                "POSTGRES_PASSWORD", password, "POSTGRES_DB", database);
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
