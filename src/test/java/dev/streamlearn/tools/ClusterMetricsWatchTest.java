package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A watch lists a job's metrics once and then only reads values, lists again while a wanted
 * metric is missing and once the listing is old. The answers are those of Flink's REST API for a
 * job with one vertex of two subtasks (the shapes {@code LocalStackIT} reads from a real cluster).
 */
class ClusterMetricsWatchTest {

    private HttpServer server;
    private final AtomicInteger listings = new AtomicInteger();
    private final AtomicInteger valueReads = new AtomicInteger();
    private final AtomicReference<String> listed =
            new AtomicReference<>("[{\"id\":\"0.Trainer.model.ctr.examplesTrained\"}]");
    private final AtomicReference<String> values =
            new AtomicReference<>("[{\"id\":\"0.Trainer.model.ctr.examplesTrained\",\"value\":\"40\"}]");

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jobs/j1", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body;
            if (path.equals("/jobs/j1")) {
                body = "{\"vertices\":[{\"id\":\"v1\"}]}";
            } else if (exchange.getRequestURI().getQuery() == null) {
                listings.incrementAndGet();
                body = listed.get();
            } else {
                valueReads.incrementAndGet();
                body = values.get();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ClusterMetrics rest() {
        return new ClusterMetrics("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void listsOnceAndThenReadsOnlyTheValues() throws Exception {
        ClusterMetrics.Watch watch = rest().watch("j1", Duration.ofHours(1), "examplesTrained");
        for (int i = 0; i < 20; i++) {
            assertEquals(Map.of("examplesTrained", 40.0), watch.sums());
        }
        assertEquals(1, listings.get());
        assertEquals(20, valueReads.get());
    }

    @Test
    void listsAgainWhileAWantedMetricIsMissingAndCountsASubtaskRegisteredLater() throws Exception {
        ClusterMetrics.Watch watch = rest().watch("j1", Duration.ofHours(1), "examplesTrained", "predictionsServed");
        assertEquals(Map.of("examplesTrained", 40.0), watch.sums());
        assertEquals(Map.of("examplesTrained", 40.0), watch.sums());
        assertEquals(2, listings.get(), "one listing per poll while predictionsServed is not there");

        listed.set("[{\"id\":\"0.Trainer.model.ctr.examplesTrained\"},"
                + "{\"id\":\"1.Inference.model.ctr.predictionsServed\"}]");
        values.set("[{\"id\":\"0.Trainer.model.ctr.examplesTrained\",\"value\":\"40\"},"
                + "{\"id\":\"1.Inference.model.ctr.predictionsServed\",\"value\":\"7\"}]");
        assertEquals(Map.of("examplesTrained", 40.0, "predictionsServed", 7.0), watch.sums());
        assertEquals(Map.of("examplesTrained", 40.0, "predictionsServed", 7.0), watch.sums());
        assertEquals(3, listings.get(), "listed no more once both were found");
    }

    @Test
    void listsAgainOnceTheListingIsOld() throws Exception {
        ClusterMetrics.Watch watch = rest().watch("j1", Duration.ZERO, "examplesTrained");
        watch.sums();
        watch.sums();
        watch.sums();
        assertEquals(3, listings.get());
    }
}
