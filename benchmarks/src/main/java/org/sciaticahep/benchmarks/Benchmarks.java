package org.sciaticahep.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every benchmark against the running local stack, one table: session-service ingest (against the raw Kafka
 * producer on the same machine), insights with short and long patient histories, insights' replay and freshness,
 * its read paths at scale, and the peak memory of each process meanwhile. Every number is measured in this run.
 *
 * <p>The phases run in this order, each on what the ones before left: ingest (warm-up, raw producer, batches,
 * single events), history scaling (whose patients stay), replay (10,000 patients of one clinician), freshness (with
 * the long histories present), read paths (the replay clinician's queue and dashboard, a long history's pages).
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Stack stack = new Stack(options);
        Map<String, Optional<ResidentMemory>> memory = new LinkedHashMap<>();
        // the services' and the broker's memory (PostgreSQL is many processes, the load generator not the system)
        CpuTime.PARTS.forEach((name, mark) -> {
            if (name.endsWith("-service") || name.equals("Kafka broker")) {
                memory.put(name, ResidentMemory.of(mark));
            }
        });
        // every phase reads its options now: a wrong one stops the run before minutes of load, not after
        IngestBenchmark ingest = new IngestBenchmark(options, stack);
        HistoryBenchmark history = new HistoryBenchmark(options, stack);
        InsightsBenchmark insights = new InsightsBenchmark(options, stack);
        ReadPathBenchmark reads = new ReadPathBenchmark(options, stack, history, insights.replayClinician());
        Figures figures = new Figures();
        ingest.run(figures);
        history.run(figures);
        insights.run(figures);
        reads.run(figures);
        memory.forEach((name, rss) -> {
            figures.add(name + " peak RSS", rss.map(r -> r.peakMb() + " MB").orElse("not running"),
                    name.endsWith("-service") ? "≤ 300 MB" : "");
            rss.ifPresent(ResidentMemory::close);
        });
        System.out.println(figures.markdown());
    }
}
