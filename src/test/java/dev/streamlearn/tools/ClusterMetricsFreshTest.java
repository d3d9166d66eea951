package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flink's REST API answers metrics from a cache that a metrics request refreshes after it has
 * answered: after a quiet spell, the first answer lists what the job had when it was last asked.
 * This server does the same (the fetch lands right after the answer to the request that started
 * it), for a job whose trainer registered its metric during the spell.
 */
class ClusterMetricsFreshTest {

    private static final String LISTED = "[{\"id\":\"0.Trainer.model.ctr.examplesTrained\"}]";
    private static final String VALUES = "[{\"id\":\"0.Trainer.model.ctr.examplesTrained\",\"value\":\"260000\"}]";

    private HttpServer server;
    /** What the cache holds: nothing listed, as before the trainer registered its metric. */
    private final AtomicReference<String> cachedListing = new AtomicReference<>("[]");

    private final AtomicReference<String> cachedValues = new AtomicReference<>("[]");

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jobs/j1", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body;
            if (path.equals("/jobs/j1")) {
                body = "{\"vertices\":[{\"id\":\"v1\"}]}";
            } else {
                body = exchange.getRequestURI().getQuery() == null ? cachedListing.get() : cachedValues.get();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            if (!path.equals("/jobs/j1")) {
                // the fetch this request started lands once it has been answered
                cachedListing.set(LISTED);
                cachedValues.set(VALUES);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aFreshListingHasWhatTheJobRegisteredSinceTheLastRequest() throws Exception {
        ClusterMetrics rest =
                new ClusterMetrics("http://127.0.0.1:" + server.getAddress().getPort());
        assertEquals(
                Map.of("examplesTrained", 260000.0),
                rest.sums(rest.freshMetricIds("j1"), "examplesTrained"),
                "listed after the fetch its request started");
    }

    @Test
    void aPlainListingAfterAQuietSpellHasNotSeenIt() throws Exception {
        ClusterMetrics rest =
                new ClusterMetrics("http://127.0.0.1:" + server.getAddress().getPort());
        assertEquals(Map.of(), rest.sums(rest.metricIds("j1"), "examplesTrained"), "what the cache held");
    }
}
