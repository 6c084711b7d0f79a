package org.sciaticahep.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Samples a process's resident set size (VmRSS) from /proc and keeps the peak. */
final class ResidentMemory implements AutoCloseable {

    private final long pid;
    private final AtomicLong peakKb = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    private ResidentMemory(long pid) {
        this.pid = pid;
        this.sampler = new Thread(this::sample, "rss-" + pid);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The process whose command line contains {@code marker}, e.g. "session-service/target/quarkus-app". */
    static Optional<ResidentMemory> of(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> CpuTime.matches(CpuTime.commandLine(p.pid()), marker))
                .findFirst()
                .map(p -> new ResidentMemory(p.pid()));
    }

    static long currentKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private void sample() {
        while (running) {
            peakKb.accumulateAndGet(currentKb(pid), Math::max);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long peakMb() {
        return peakKb.get() / 1024;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
