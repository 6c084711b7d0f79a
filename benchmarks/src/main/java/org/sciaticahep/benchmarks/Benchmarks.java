package org.sciaticahep.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every benchmark against the running local stack, one table: session-service ingest (against the raw Kafka
 * producer on the same machine), insights' replay and freshness, and the peak memory of each process meanwhile.
 * Every number is measured in this run.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        Map<String, Optional<ResidentMemory>> memory = new LinkedHashMap<>();
        // the services' and the broker's memory (PostgreSQL is many processes, the load generator not the system)
        CpuTime.PARTS.forEach((name, mark) -> {
            if (name.endsWith("-service") || name.equals("Kafka broker")) {
                memory.put(name, ResidentMemory.of(mark));
            }
        });
        Figures figures = new Figures();
        new IngestBenchmark(options).run(figures);
        new InsightsBenchmark(options).run(figures);
        memory.forEach((name, rss) -> {
            figures.add(name + " peak RSS", rss.map(r -> r.peakMb() + " MB").orElse("not running"),
                    name.endsWith("-service") ? "≤ 300 MB" : "");
            rss.ifPresent(ResidentMemory::close);
        });
        System.out.println(figures.markdown());
    }
}
