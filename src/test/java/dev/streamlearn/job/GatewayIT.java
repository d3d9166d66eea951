package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.Streamlearn;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.gateway.Gateway;
import dev.streamlearn.gateway.JobStatus;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import dev.streamlearn.tools.FlinkJobStatus;
import dev.streamlearn.tools.GatewayTool;
import dev.streamlearn.tools.KeptAliveHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway in front of a running job, through a real broker: Open Inference Protocol requests
 * answered with the job's own scores and versions, refused with the parser's reasons, two
 * gateways at once each answered its own, and 503 / 504 when it cannot answer.
 */
@ExtendWith(JobStack.Shared.class)
class GatewayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION);
    private static final String SERVED = MetricNames.ofModel(MODEL, MetricNames.SERVED_VERSION);
    /** Requests of the load each gateway takes: 62 per connection, enough for answers to cross between callers. */
    private static final int CALLS = 2_000;

    private final JobStack stack;
    private final HttpClient http = HttpClient.newHttpClient();

    GatewayIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void servesTheJobsPredictionsOverTheOpenInferenceProtocol() throws Exception {
        JobConfig config = stack.config("gateway-");
        try (JobStack.Running running = stack.run("gateway", config);
                Gateway gateway =
                        new Gateway(settings(config, config.topic(Topic.REQUESTS), 30_000, 10_000), status(stack));
                Gateway other =
                        new Gateway(settings(config, config.topic(Topic.REQUESTS), 30_000, 10_000), status(stack))) {
            JobMetrics metrics = running.metrics;
            stack.kafka.send(config.topic(Topic.LABELED), Events.json(stack.bike.subList(0, 2000)));
            // trained, and no new version for a second (a promotion may still follow the last batch)
            long[] seen = {-1, 0};
            Await.until("trained, served, and the version settled", TIMEOUT, () -> {
                long version = metrics.longValue(VERSION);
                if (version != seen[0]) {
                    seen[0] = version;
                    seen[1] = System.nanoTime();
                }
                List<Double> served = metrics.values(SERVED);
                return metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED)) == 2000
                        && !served.isEmpty()
                        && served.stream().allMatch(v -> v == version)
                        && System.nanoTime() - seen[1] > 1_000_000_000L;
            });
            assertTrue(gateway.awaitReading(TIMEOUT) && other.awaitReading(TIMEOUT));
            long version = metrics.longValue(VERSION);
            String base = "http://127.0.0.1:" + gateway.port();

            assertEquals(200, get(base + "/v2/health/live").statusCode());
            assertEquals("{\"ready\":true}", get(base + "/v2/health/ready").body());
            // the gateway reads the served version from the REST API, which is at most a second or two behind
            Await.until(
                    "the metadata names the served version " + version,
                    TIMEOUT,
                    () -> metadata(base).get("versions").get(0).asText().equals(Long.toString(version)));
            JsonNode metadata = metadata(base);
            assertEquals(MODEL, metadata.get("name").asText());
            assertEquals(
                    "logistic", metadata.get("parameters").get("loss").asText().toLowerCase(java.util.Locale.ROOT));
            assertEquals(200, get(base + "/v2/models/" + MODEL + "/ready").statusCode());
            JsonNode server = JSON.readTree(get(base + "/v2").body());
            assertEquals("streamlearn", server.get("name").asText());
            assertEquals(Streamlearn.VERSION, server.get("version").asText());
            assertTrue(server.get("extensions").isArray(), server.toString());
            HttpResponse<String> pinned = get(base + "/v2/models/" + MODEL + "/versions/" + version + "/ready");
            assertEquals(404, pinned.statusCode());
            assertTrue(pinned.body().contains("current version only"), pinned.body());
            HttpResponse<String> unknown = get(base + "/v2/models/taxi");
            assertEquals(404, unknown.statusCode());
            assertTrue(unknown.body().contains("unknown model 'taxi'"), unknown.body());

            // three rows in one request: each scored as the job scores the same request sent to Kafka
            List<DatasetEvent> rows = List.of(stack.bike.get(2100), stack.bike.get(2200), stack.bike.get(2300));
            HttpResponse<String> answer = post(base, MODEL, oip(rows, true));
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode response = JSON.readTree(answer.body());
            assertEquals(Long.toString(version), response.get("model_version").asText());
            JsonNode scores = response.get("outputs").get(0).get("data");
            assertEquals(3, scores.size());
            for (int r = 0; r < rows.size(); r++) {
                JsonNode direct = stack.predict(config, rows.get(r), "gateway-direct-" + r);
                assertEquals(version, direct.get("modelVersion").asLong());
                assertEquals(direct.get("score").asDouble(), scores.get(r).asDouble(), 0.0, "row " + r);
                assertTrue(response.get("parameters").get("explanations").get(r).has("bias"), "explained");
            }

            // refused before anything is sent: the parser's reason, the protocol's mistakes
            ObjectNode tooLarge = oip(List.of(rows.get(0)), false);
            ObjectNode huge = ((ArrayNode) tooLarge.get("inputs")).addObject();
            huge.put("name", "extra").put("datatype", "FP64");
            huge.putArray("shape").add(1);
            huge.putArray("data").add(1e300);
            HttpResponse<String> refused = post(base, MODEL, tooLarge);
            assertEquals(400, refused.statusCode());
            assertTrue(refused.body().contains("out-of-range"), refused.body());
            ObjectNode wrongType = oip(List.of(rows.get(0)), false);
            ((ObjectNode) wrongType.get("inputs").get(0)).put("datatype", "BOOL");
            assertEquals(400, post(base, MODEL, wrongType).statusCode());
            assertEquals(404, post(base, "taxi", oip(rows, false)).statusCode());

            // two gateways at once, CALLS requests each over 32 connections: every answer to its own caller, none lost
            KeptAliveHttp.keepAlive(64);
            AtomicInteger ok = new AtomicInteger();
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            List<Thread> callers = new ArrayList<>();
            for (String b : List.of(base, "http://127.0.0.1:" + other.port())) {
                URL infer = URI.create(b + "/v2/models/" + MODEL + "/infer").toURL();
                byte[][] calls = new byte[CALLS][];
                for (int i = 0; i < calls.length; i++) {
                    ObjectNode call = oip(List.of(stack.bike.get(i % stack.bike.size())), false);
                    calls[i] = call.put("id", b + "#" + i).toString().getBytes(StandardCharsets.UTF_8);
                }
                for (int t = 0; t < 32; t++) {
                    int first = t;
                    Thread caller = new Thread(() -> {
                        for (int i = first; i < calls.length; i += 32) {
                            KeptAliveHttp.Answer a = KeptAliveHttp.post(infer, calls[i]);
                            try {
                                JsonNode answered = JSON.readTree(a.body());
                                if (a.status() == 200
                                        && answered.get("id").asText().equals(b + "#" + i)) {
                                    ok.addAndGet(answered.get("outputs")
                                            .get(0)
                                            .get("data")
                                            .size());
                                } else {
                                    wrong.add(b + "#" + i + ": " + a);
                                }
                            } catch (IOException e) {
                                wrong.add(b + "#" + i + ": " + a);
                            }
                        }
                    });
                    caller.start();
                    callers.add(caller);
                }
            }
            for (Thread caller : callers) {
                caller.join();
            }
            assertTrue(wrong.isEmpty(), wrong.size() + " answers missing or to another caller, first: " + wrong.peek());
            assertEquals(2 * CALLS, ok.get());
            String scraped = get(base + "/metrics").body();
            // the load's rows, and the three rows of the first request
            assertTrue(scraped.contains("streamlearn_gateway_rows_total " + (CALLS + 3)), scraped);
            assertTrue(scraped.contains("streamlearn_gateway_requests_total{endpoint=\"infer\",code=\"400\"} 2"));
            assertTrue(scraped.contains("streamlearn_gateway_infer_seconds_count " + (CALLS + 1)), scraped);
        }
    }

    @Test
    void answers504WhenNoPredictionComesAnd503WhenItsRoomIsTaken() throws Exception {
        JobConfig config = stack.config("gateway-idle-");
        // requests to a topic no job reads: nothing ever answers them
        String unread = stack.topics("gateway-idle-", "unread").get(1);
        try (Gateway gateway = new Gateway(settings(config, unread, 1_000, 1), null)) {
            assertTrue(gateway.awaitReading(TIMEOUT));
            String base = "http://127.0.0.1:" + gateway.port();
            CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(
                    request(base, MODEL, oip(List.of(stack.bike.get(0)), false)), HttpResponse.BodyHandlers.ofString());
            Await.until("the first request waits", TIMEOUT, () -> get(base + "/metrics")
                    .body()
                    .contains("streamlearn_gateway_pending 1"));
            HttpResponse<String> full = post(base, MODEL, oip(List.of(stack.bike.get(1)), false));
            assertEquals(503, full.statusCode());
            assertTrue(full.body().contains("overloaded"), full.body());
            HttpResponse<String> timedOut = waiting.get();
            assertEquals(504, timedOut.statusCode());
            assertTrue(timedOut.body().contains("1000 ms"), timedOut.body());
            assertTrue(get(base + "/metrics").body().contains("streamlearn_gateway_timeouts_total 1"));
        }
    }

    /** A gateway in front of the job of {@code config}, on a port the system chooses. */
    static Gateway.Settings settings(JobConfig config, String requestsTopic, long timeoutMillis, int maxPending) {
        return GatewayTool.settings(
                config, "127.0.0.1", 0, requestsTopic, Duration.ofMillis(timeoutMillis), maxPending);
    }

    /** The job's state as scripts/gateway reads it: from the cluster's REST API. */
    static JobStatus status(JobStack stack) {
        return new FlinkJobStatus(stack.restAddress().toString(), List.of(MODEL));
    }

    /** An infer request of the events' features, a tensor per feature (null where a row has none). */
    private static ObjectNode oip(List<DatasetEvent> events, boolean explain) throws Exception {
        List<JsonNode> features = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (DatasetEvent e : events) {
            JsonNode f = JSON.readTree(e.json).get("features");
            features.add(f);
            f.fieldNames().forEachRemaining(names::add);
        }
        ObjectNode request = JSON.createObjectNode();
        if (explain) {
            request.putObject("parameters").put("explain", true);
        }
        ArrayNode inputs = request.putArray("inputs");
        for (String name : names) {
            ObjectNode input = inputs.addObject();
            input.put("name", name);
            input.putArray("shape").add(events.size());
            ArrayNode data = input.putArray("data");
            String datatype = "FP64";
            for (JsonNode f : features) {
                JsonNode v = f.get(name);
                data.add(v == null ? JSON.nullNode() : v);
                if (v != null && v.isTextual()) {
                    datatype = "BYTES";
                } else if (v != null && v.isBoolean()) {
                    datatype = "BOOL";
                }
            }
            input.put("datatype", datatype);
        }
        return request;
    }

    private HttpRequest request(String base, String model, JsonNode body) {
        return HttpRequest.newBuilder(URI.create(base + "/v2/models/" + model + "/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json")
                .build();
    }

    private HttpResponse<String> post(String base, String model, JsonNode body) throws Exception {
        return http.send(request(base, model, body), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode metadata(String base) {
        try {
            return JSON.readTree(get(base + "/v2/models/" + MODEL).body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(url, e);
        }
    }
}
