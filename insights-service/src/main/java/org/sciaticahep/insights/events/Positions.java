package org.sciaticahep.insights.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which records of a batch to apply, given the next offset the database says each partition is at. Per partition,
 * records before that offset were applied already (a redelivery); the rest are applied when they start exactly
 * there. From a record further on, the consumer is ahead of the database (a rebuild reset it): nothing from there
 * on is applied and the consumer is sent back to where the database is.
 */
final class Positions {

    /** A record's place in its topic. */
    interface Placed {
        int partition();

        long offset();
    }

    /** What to apply, the next offset of each partition that moves, and the partitions to seek back to an offset. */
    record Claim<T extends Placed>(List<T> taken, Map<Integer, Long> next, Map<Integer, Long> behind) {
    }

    private Positions() {
    }

    /** {@code records} in the order Kafka gave them (each partition's in offset order); absent position: apply all. */
    static <T extends Placed> Claim<T> claim(List<T> records, Map<Integer, Long> stored) {
        Map<Integer, Long> expected = new HashMap<>(stored);
        Map<Integer, Long> next = new HashMap<>();
        Map<Integer, Long> behind = new HashMap<>();
        List<T> taken = new ArrayList<>(records.size());
        for (T r : records) {
            int p = r.partition();
            if (behind.containsKey(p)) {
                continue;
            }
            Long at = expected.get(p);
            if (at != null && r.offset() < at) {
                continue;
            }
            if (at != null && r.offset() > at) {
                behind.put(p, at);
                continue;
            }
            taken.add(r);
            expected.put(p, r.offset() + 1);
            next.put(p, r.offset() + 1);
        }
        return new Claim<>(taken, next, behind);
    }
}
