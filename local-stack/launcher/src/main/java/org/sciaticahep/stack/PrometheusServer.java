package org.sciaticahep.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Prometheus (Debian's package) for the local stack: the scrape settings and alert rules of deploy/prometheus,
 * with the three services on localhost instead of Kubernetes' discovery, and an ops token of the stack's own.
 */
public final class PrometheusServer {

    public static final int PORT = 9090;
    private static final Path BINARY = Path.of("/usr/bin/prometheus");

    private final Process process;

    private PrometheusServer(Process process) {
        this.process = process;
    }

    /**
     * Writes {@code dir/prometheus.yml} scraping {@code services} on localhost with {@code opsToken}, using the
     * rules file of the repository at {@code root}; answers the configuration's path.
     */
    public static Path writeConfig(Path root, Path dir, List<LocalStack.Service> services, String opsToken) throws IOException {
        Files.createDirectories(dir);
        Path token = dir.resolve("ops-token");
        Files.writeString(token, opsToken);
        String jobs = services.stream().map(s -> """
                  - job_name: %s
                    metrics_path: /q/metrics
                    authorization:
                      type: Bearer
                      credentials_file: %s
                    static_configs:
                      - targets: ['localhost:%d']
                """.formatted(s.name(), token, s.port())).collect(Collectors.joining());
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                # written by ./stack.sh --prometheus from deploy/prometheus (same interval, path, token and rules)
                global:
                  scrape_interval: 15s
                  evaluation_interval: 15s
                rule_files:
                  - %s
                scrape_configs:
                %s""".formatted(root.resolve("deploy/prometheus/rules.yml"), jobs));
        return config;
    }

    public static PrometheusServer start(Path config, Path data, Path log) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("--prometheus needs Debian's prometheus package: sudo apt-get install prometheus");
        }
        if (Ports.listening("127.0.0.1", PORT)) {
            throw new IllegalStateException("port " + PORT + " is in use: is another Prometheus running?");
        }
        try {
            Files.createDirectories(data);
            Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + PORT)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Ports.listening("127.0.0.1", PORT)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Prometheus did not start; see " + log);
                }
                Ports.pause(200);
            }
            return new PrometheusServer(process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Prometheus", e);
        }
    }

    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
