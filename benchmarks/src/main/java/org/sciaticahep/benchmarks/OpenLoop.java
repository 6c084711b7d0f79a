package org.sciaticahep.benchmarks;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Open loop: request i starts at start + i / rate whether or not earlier ones answered, so latency includes queueing.
 * The requests are written before the clock starts (the load generator shares the two cores it measures).
 */
final class OpenLoop {

    /** One request: a POST of a body, as a patient's app sends it. */
    record Post(String path, String bearerToken, Buffer body) {
    }

    /** Told of each answer on the client's event loop: keep it short. {@code answer} is null when none came. */
    interface Listener {
        void answered(int index, LoadClient.Answer answer, long intendedNanos);
    }

    /** {@code sent} requests; {@code seconds} from the first until every one was answered. */
    record Result(int sent, double seconds) {
    }

    private OpenLoop() {
    }

    /** Sends {@code posts} in order at {@code rate} a second until all are sent or {@code stop} says so. */
    static Result run(LoadClient client, List<Post> posts, int rate, BooleanSupplier stop, Listener listener) throws Exception {
        List<CompletableFuture<?>> pending = new ArrayList<>(posts.size());
        long start = System.nanoTime();
        int sent = 0;
        for (; sent < posts.size() && !stop.getAsBoolean(); sent++) {
            long intended = start + sent * 1_000_000_000L / rate;
            while (System.nanoTime() < intended) {
                LockSupport.parkNanos(intended - System.nanoTime());
            }
            int index = sent;
            Post post = posts.get(sent);
            pending.add(client.post(post.path(), post.bearerToken(), post.body())
                    .whenComplete((answer, error) -> listener.answered(index, error == null ? answer : null, intended)));
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).exceptionally(e -> null).get(2, TimeUnit.MINUTES);
        return new Result(sent, (System.nanoTime() - start) / 1e9);
    }
}
