package org.sciaticahep.benchmarks;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * The load generators' HTTP client: keep-alive connections on one Vert.x event loop. The load generator shares the
 * two cores with what it measures; the JDK's HttpClient spent most of one core on 1,000 requests a second.
 */
final class LoadClient implements AutoCloseable {

    /** A response's status and body. */
    record Answer(int status, String body) {
    }

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final HttpClient client;

    LoadClient(String baseUrl, int connections) {
        URI uri = URI.create(baseUrl);
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort())
                .setKeepAlive(true).setConnectTimeout(5000), new PoolOptions().setHttp1MaxSize(connections));
    }

    /**
     * A GET with the bearer token. {@code keepBody}: the answer's text, else only its status (the body is still read
     * to its end, as a browser would, but not decoded: the load generator shares the cores it measures).
     */
    CompletableFuture<Answer> get(String path, String bearerToken, boolean keepBody) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setURI(path).setIdleTimeout(30_000)
                .putHeader("Authorization", "Bearer " + bearerToken);
        return client.request(request)
                .compose(r -> r.send())
                .compose(response -> response.body().map(b -> new Answer(response.statusCode(), keepBody ? b.toString() : "")))
                .toCompletionStage().toCompletableFuture();
    }

    /** Completes after {@code millis} on this client's event loop, without a thread of its own. */
    CompletableFuture<Void> after(long millis) {
        CompletableFuture<Void> later = new CompletableFuture<>();
        vertx.setTimer(Math.max(1, millis), id -> later.complete(null));
        return later;
    }

    CompletableFuture<Answer> post(String path, String bearerToken, Buffer body) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI(path).setIdleTimeout(30_000)
                .putHeader("Authorization", "Bearer " + bearerToken).putHeader("Content-Type", "application/json");
        return client.request(request)
                .compose(r -> r.send(body))
                .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString())))
                .toCompletionStage().toCompletableFuture();
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
    }
}
