package org.sciaticahep.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A Kafka client thread that was seen alive and then died makes the service not live; one never seen does not. */
class KafkaThreadsTest {

    static final String NETWORK = "kafka-producer-network-thread | test";

    @Test
    void aClientThreadSeenAliveThatDiedIsReportedAndStaysReported() throws Exception {
        KafkaThreads threads = new KafkaThreads();
        CountDownLatch end = new CountDownLatch(1);
        Thread network = running(NETWORK, end);

        assertEquals(List.of(), threads.dead());
        assertTrue(threads.watching() >= 1, "the thread is watched");

        end.countDown();
        network.join(10_000);
        assertEquals(List.of(NETWORK), threads.dead());
        assertEquals(List.of(NETWORK), threads.dead(), "a death stays reported");
    }

    @Test
    void aThreadNeverSeenAliveDoesNotMatter() throws Exception {
        KafkaThreads threads = new KafkaThreads();
        assertEquals(List.of(), threads.dead());
        Thread brief = new Thread(() -> { }, "kafka-coordinator-heartbeat-thread | gone-before-any-look");
        brief.start();
        brief.join(10_000);
        CountDownLatch end = new CountDownLatch(1);
        Thread unrelated = running("some-worker-thread", end);
        assertEquals(List.of(), threads.dead());
        end.countDown();
        unrelated.join(10_000);
        assertEquals(List.of(), threads.dead(), "threads of other names are not watched");
    }

    @Test
    void nothingIsJudgedOnceTheApplicationShutsDown() throws Exception {
        KafkaThreads threads = new KafkaThreads();
        CountDownLatch end = new CountDownLatch(1);
        Thread polling = running("smallrye-kafka-consumer-thread-0", end);
        assertEquals(List.of(), threads.dead());

        threads.stopJudging();
        end.countDown();
        polling.join(10_000);
        assertEquals(List.of(), threads.dead());
    }

    private static Thread running(String name, CountDownLatch end) {
        Thread thread = new Thread(() -> {
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
