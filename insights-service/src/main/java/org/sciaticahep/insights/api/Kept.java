package org.sciaticahep.insights.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import java.util.function.ToIntFunction;

/**
 * What a read worked out for one patient, kept while what it was worked out from stands: the patient's revision
 * (V13: moved in the transaction of every write their figures come from), the catalog copy's revision, the
 * patient's today and their enrollment. Flags are never kept: acknowledging one does not move the revision.
 * A minute at most: that bounds what a revision cannot see (an instance still on code older than V13 during a
 * rolling upgrade, a database restored to an earlier sequence value) and how long an erased patient's figures stay
 * in memory. The caller reads the revision before the data it works out, so a value is never kept under a
 * revision newer than its data.
 */
final class Kept<T> {

    static final Duration LIFETIME = Duration.ofSeconds(60);

    /** What a value was worked out from; null when the patient has no revision (erased, rebuilt, never seen). */
    record Stamp(long revision, long catalogRevision, LocalDate today, UUID enrollmentId) {

        static Stamp of(Long revision, long catalogRevision, LocalDate today, UUID enrollmentId) {
            return revision == null ? null : new Stamp(revision, catalogRevision, today, enrollmentId);
        }
    }

    private record Entry<T>(Stamp stamp, T value) {
    }

    private final Cache<String, Entry<T>> entries;
    private final Counter hits;
    private final Counter misses;

    /** What an entry weighs beyond its figures (its key, stamp and objects), in figures of a day (some 100 bytes). */
    static final int ENTRY_WEIGHT = 16;

    /**
     * At most {@code maxWeight} in all, each value weighing {@link #ENTRY_WEIGHT} and the figures {@code figures}
     * counts (days of a series, say): an answer of no days still weighs, so many small ones cannot fill memory.
     */
    Kept(String read, long maxWeight, ToIntFunction<T> figures, MeterRegistry registry) {
        entries = Caffeine.newBuilder().maximumWeight(maxWeight)
                .weigher((String key, Entry<T> e) -> ENTRY_WEIGHT + figures.applyAsInt(e.value()))
                .expireAfterWrite(LIFETIME).build();
        hits = Counter.builder("insights_kept_reads_total").tag("read", read).tag("result", "hit")
                .description("reads answered from what was worked out under the same revision").register(registry);
        misses = Counter.builder("insights_kept_reads_total").tag("read", read).tag("result", "miss")
                .description("reads worked out anew").register(registry);
    }

    /** The value kept under the key if worked out under this very stamp, else null (and a null stamp drops it). */
    T get(String key, Stamp stamp) {
        if (stamp == null) {
            entries.invalidate(key);
            misses.increment();
            return null;
        }
        Entry<T> e = entries.getIfPresent(key);
        if (e != null && e.stamp().equals(stamp)) {
            hits.increment();
            return e.value();
        }
        misses.increment();
        return null;
    }

    void put(String key, Stamp stamp, T value) {
        if (stamp != null && value != null) {
            entries.put(key, new Entry<>(stamp, value));
        }
    }
}
