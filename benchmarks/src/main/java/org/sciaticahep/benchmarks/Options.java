package org.sciaticahep.benchmarks;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line of {@code ./benchmark.sh}: {@code --name value} pairs, every one optional, each with its default
 * here (one place, so the phases cannot disagree about them). An option no phase knows is refused, not ignored.
 */
final class Options {

    /** Every option and its default, in the order {@code ./benchmark.sh}'s usage line lists them. */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        // where the stack is
        DEFAULTS.put("session", "http://localhost:8082");
        DEFAULTS.put("insights", "http://localhost:8083");
        DEFAULTS.put("kafka", "127.0.0.1:9092");
        // session-service ingest (IngestBenchmark)
        DEFAULTS.put("events", "100000");
        DEFAULTS.put("patients", "200");
        DEFAULTS.put("concurrency", "8");
        DEFAULTS.put("rate", "1000");
        DEFAULTS.put("seconds", "20");
        DEFAULTS.put("warm-up-seconds", "30");
        DEFAULTS.put("compression", "lz4");
        // history scaling (HistoryBenchmark): per group, the long group's days, the single events' rate and time
        DEFAULTS.put("history-patients", "200");
        DEFAULTS.put("history-days", "364");
        DEFAULTS.put("history-rate", "50");
        DEFAULTS.put("history-seconds", "30");
        // replay and freshness (InsightsBenchmark)
        DEFAULTS.put("replay-events", "1000000");
        DEFAULTS.put("replay-patients", "10000");
        // read paths at scale (ReadPathBenchmark)
        DEFAULTS.put("readers", "16");
        DEFAULTS.put("read-seconds", "20");
        DEFAULTS.put("read-rate", "200");
    }

    private final Map<String, String> given;

    private Options(Map<String, String> given) {
        this.given = given;
    }

    /** {@code --name value} pairs. */
    static Options parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i] + "; " + usage());
            }
            String name = args[i].substring(2);
            if (!DEFAULTS.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "; " + usage());
            }
            options.put(name, args[i + 1]);
        }
        return new Options(options);
    }

    /** The value given, or the default. */
    String text(String name) {
        if (!DEFAULTS.containsKey(name)) {
            throw new IllegalArgumentException("no option --" + name);
        }
        return given.getOrDefault(name, DEFAULTS.get(name));
    }

    int integer(String name) {
        String value = text(name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got " + value, e);
        }
    }

    /** Whether the option was on the command line (a phase whose own default differs from the shared one asks). */
    boolean given(String name) {
        return given.containsKey(name);
    }

    static String usage() {
        StringBuilder out = new StringBuilder("options (all optional):");
        DEFAULTS.forEach((name, value) -> out.append(" [--").append(name).append(' ').append(value).append(']'));
        return out.toString();
    }
}
