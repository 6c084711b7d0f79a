package org.sciaticahep.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One of the services, built by Maven, running as its own JVM; used by ./stack.sh and by pipeline tests. */
public final class ServiceProcess implements AutoCloseable {

    /** Every service JVM has it, wherever it runs (the consistency tests check deploy/ and the Dockerfiles). */
    public static final String EXIT_ON_OUT_OF_MEMORY = "-XX:+ExitOnOutOfMemoryError";

    /**
     * JVM options sized from the benchmarks' measured RSS (docs/benchmarks.md); SerialGC suits 2 cores. A thread
     * reading a socket into a heap buffer keeps a native copy of its largest read (a Kafka fetch: megabytes) unless
     * {@code jdk.nio.maxCachedBufferSize} caps what is kept. glibc keeps what the JVM frees (a compiler's arenas, a
     * replay's buffers) unless told to give it back: a trim every 5 s took insights' peak RSS in a replay from 344 to
     * 330 MB and what it held after from 344 to 310 MB (docs/benchmarks.md, runs 13 and 14). An OutOfMemoryError
     * ends the JVM ({@link #EXIT_ON_OUT_OF_MEMORY}): one can kill a thread (a Kafka client's) and leave the rest
     * answering as if all were well; a process that exits is plainly down (and restarted by Kubernetes or Docker).
     */
    static final List<String> JVM_OPTIONS = jvmOptions(Runtime.version());

    static List<String> jvmOptions(Runtime.Version jdk) {
        List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx128m",
                "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m", "-XX:MaxDirectMemorySize=64m", "-Xss512k",
                "-Djdk.nio.maxCachedBufferSize=262144"));
        if (trimsNativeHeap(jdk)) {
            // experimental in JDK 17 until 17.0.12; unlocking does no harm where it is a product switch
            options.addAll(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:TrimNativeHeapInterval=5000"));
        }
        options.add(EXIT_ON_OUT_OF_MEMORY);
        return List.copyOf(options);
    }

    /** Whether the JDK has the periodic trim (17.0.9, 21.0.1, 22 on): a JVM refuses to start with an option it lacks. */
    static boolean trimsNativeHeap(Runtime.Version jdk) {
        return jdk.feature() >= 22 || jdk.feature() == 21 && jdk.update() >= 1 || jdk.feature() == 17 && jdk.update() >= 9;
    }

    private final String name;
    private final int port;
    private final Process process;

    private ServiceProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts {@code <root>/<name>/target/quarkus-app/quarkus-run.jar} on {@code port} with {@code environment}
     * (database and Kafka variables), logging to {@code log}.
     */
    public static ServiceProcess start(Path root, String name, int port, Map<String, String> environment, Path log) {
        Path jar = root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (Ports.listening("127.0.0.1", port)) {
            throw new IllegalStateException("port " + port + " is in use: is another " + name + " still running?");
        }
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw package -DskipTests)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.resolve(name).toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // glibc keeps a malloc arena per thread by default; measured, two arenas cut RSS with no loss of speed
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        try {
            return new ServiceProcess(name, port, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until {@code /q/health/ready} answers 200. */
    public ServiceProcess awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).timeout(Duration.ofSeconds(3)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready");
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Ports.pause(300);
        }
        throw new IllegalStateException(name + " not ready within " + timeout);
    }

    /** SIGTERM and wait, as an orchestrator stops a service. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL, as when a machine dies. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
