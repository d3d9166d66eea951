package dev.streamlearn.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.streamlearn.Streamlearn;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.ingest.ParseResult;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.PredictionRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Predictions over HTTP in the Open Inference Protocol's REST endpoints, in front of the job:
 * an infer request is checked with the job's own parser (a row it would dead-letter is answered
 * 400 with the same reason), each row is written to the requests topic under an id of this
 * gateway's, and the answer is sent when every row's prediction has come back on the
 * predictions topic, or 504 after the timeout. At most {@code maxPending} rows wait at once;
 * beyond that a request is answered 503 at once. Several gateways may front one job: each reads
 * every prediction and answers only its own ids.
 */
public final class Gateway implements AutoCloseable {

    /** How a gateway is set up: where it listens, the job's Kafka side and models, its limits. */
    public record Settings(
            String host,
            int port,
            String bootstrapServers,
            Properties kafkaClient,
            String requestsTopic,
            String predictionsTopic,
            String modelLogTopic,
            Map<String, ModelSpec> models,
            InputLimits limits,
            Duration timeout,
            int maxPending) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final JobStatus job;
    private final String idPrefix = "gw-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final AtomicLong sequence = new AtomicLong();
    private final PendingPredictions pending;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final ThreadLocal<EventParser> parsers;
    private final PredictionTopics kafka;
    private final ModelLogReader modelLog;
    private final ModelPage page;
    private final ExecutorService handlers = Executors.newFixedThreadPool(4, daemon("gateway-http"));
    private final ExecutorService responders = Executors.newFixedThreadPool(2, daemon("gateway-answers"));
    private final HttpServer server;

    /** Starts listening and reading predictions; {@code job} may be null (readiness then asks only Kafka). */
    public Gateway(Settings settings, JobStatus job) throws IOException {
        this.settings = settings;
        this.job = job;
        this.pending = new PendingPredictions(settings.maxPending());
        this.parsers = ThreadLocal.withInitial(
                () -> new EventParser(settings.models(), settings.limits(), settings.requestsTopic()));
        this.kafka = new PredictionTopics(settings, idPrefix, pending);
        this.modelLog =
                new ModelLogReader(settings.bootstrapServers(), settings.kafkaClient(), settings.modelLogTopic());
        this.page = new ModelPage(settings.models(), job, modelLog);
        // without it the JDK's server leaves Nagle's algorithm on: a response's body waited for the
        // caller's delayed ACK of its headers, 40 ms on Linux once a connection left quick-ACK mode
        System.setProperty("sun.net.httpserver.nodelay", "true");
        // it closes idle keep-alive connections beyond this many (200 by default), and a caller that
        // reused one just closed saw its request fail unanswered: 2 in 20,000 at 2,000 requests/s
        System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        // connections the kernel holds for it to accept (capped by net.core.somaxconn): a burst
        // beyond the queue had connections reset before they were read
        this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 4096);
        server.createContext("/v2/health/live", e -> {
            boolean live = live();
            answer(e, "health", live ? 200 : 503, JSON.createObjectNode().put("live", live));
        });
        server.createContext("/v2/health/ready", e -> {
            boolean ready = ready();
            answer(e, "ready", ready ? 200 : 503, JSON.createObjectNode().put("ready", ready));
        });
        server.createContext("/v2", this::server);
        server.createContext("/v2/models/", this::model);
        server.createContext("/", page::servePage);
        server.createContext("/api/models", page::serveData);
        server.createContext("/metrics", e -> {
            byte[] text = metrics.text(pending.size()).getBytes(StandardCharsets.UTF_8);
            e.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            e.sendResponseHeaders(200, text.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(text);
            }
        });
        server.setExecutor(handlers);
        server.start();
    }

    /** The port it listens on (the one it was given, or the one the system chose for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Whether it reads predictions from their end, so that no answer to a request sent from now on is missed. */
    public boolean awaitReading(Duration timeout) throws InterruptedException {
        return kafka.awaitReading(timeout);
    }

    private boolean ready() {
        return live() && kafka.reading() && (job == null || job.running());
    }

    /**
     * Whether it still reads the predictions and the model log: a gateway that stopped reading
     * either would keep callers waiting for answers it never sees, and should be started anew.
     */
    public boolean live() {
        return kafka.alive() && modelLog.alive();
    }

    /** {@code GET /v2}: the server's metadata; any other path under /v2 that no endpoint has is not found. */
    private void server(HttpExchange e) throws IOException {
        String path = e.getRequestURI().getPath();
        if (!path.equals("/v2") && !path.equals("/v2/")) {
            answer(e, "metadata", 404, InferenceProtocol.error("no such endpoint: " + path));
        } else if (!e.getRequestMethod().equals("GET")) {
            answer(e, "metadata", 405, InferenceProtocol.error(e.getRequestMethod() + " is not allowed here: GET"));
        } else {
            ObjectNode server =
                    JSON.createObjectNode().put("name", "streamlearn").put("version", Streamlearn.VERSION);
            server.putArray("extensions");
            answer(e, "metadata", 200, server);
        }
    }

    /** {@code /v2/models/{model}}, {@code .../ready} and {@code .../infer}. */
    private void model(HttpExchange e) throws IOException {
        String[] path =
                e.getRequestURI().getPath().substring("/v2/models/".length()).split("/", -1);
        String model = path[0];
        String action = path.length > 1 ? path[1] : "";
        String endpoint = action.equals("infer") ? "infer" : action.equals("ready") ? "ready" : "metadata";
        if (action.equals("versions")) {
            answer(
                    e,
                    endpoint,
                    404,
                    InferenceProtocol.error("a model is served at its current version only (it learns on): drop"
                            + " /versions/... from the path; the answer's model_version says which version scored"));
            return;
        }
        if (path.length > 2 || !(action.isEmpty() || action.equals("ready") || action.equals("infer"))) {
            answer(
                    e,
                    endpoint,
                    404,
                    InferenceProtocol.error(
                            "no such endpoint: " + e.getRequestURI().getPath()));
            return;
        }
        ModelSpec spec = settings.models().get(model);
        if (spec == null) {
            answer(
                    e,
                    endpoint,
                    404,
                    InferenceProtocol.error("unknown model '" + model + "'; the job serves "
                            + settings.models().keySet()));
            return;
        }
        String method = e.getRequestMethod();
        if (action.equals("infer") != method.equals("POST") || !(method.equals("GET") || method.equals("POST"))) {
            answer(
                    e,
                    endpoint,
                    405,
                    InferenceProtocol.error(
                            method + " is not allowed here: " + (action.equals("infer") ? "POST" : "GET")));
            return;
        }
        switch (action) {
            case "infer" -> infer(e, model);
            case "ready" -> {
                boolean ready = ready() && servedVersion(model).isPresent();
                answer(
                        e,
                        endpoint,
                        ready ? 200 : 503,
                        JSON.createObjectNode().put("name", model).put("ready", ready));
            }
            default -> answer(e, endpoint, 200, metadata(spec));
        }
    }

    private OptionalLong servedVersion(String model) {
        if (job == null) {
            return OptionalLong.empty();
        }
        OptionalLong v = job.servedVersion(model);
        return v.isPresent() && v.getAsLong() >= 1 ? v : OptionalLong.empty();
    }

    private ObjectNode metadata(ModelSpec spec) {
        ObjectNode m = JSON.createObjectNode();
        m.put("name", spec.id);
        OptionalLong version = servedVersion(spec.id);
        m.putArray("versions").add(version.isPresent() ? Long.toString(version.getAsLong()) : "0");
        m.put("platform", "streamlearn");
        ObjectNode input = m.putArray("inputs").addObject();
        input.put("name", "<feature>");
        input.put("datatype", "FP64|BYTES|BOOL");
        input.putArray("shape").add(-1);
        ObjectNode output = m.putArray("outputs").addObject();
        output.put("name", "score");
        output.put("datatype", "FP64");
        output.putArray("shape").add(-1);
        ObjectNode parameters = m.putObject("parameters");
        parameters.put("loss", spec.loss().toString());
        parameters.put("optimizer", spec.optimizer().toString());
        parameters.put("hash_bits", spec.get(ModelOptions.HASH_BITS));
        if (version.isPresent()) {
            parameters.put("served_version", version.getAsLong());
        }
        // the model log's newest promotion and rollback: which version, when and why
        for (ModelLogEntry.Event event : List.of(ModelLogEntry.Event.PROMOTE, ModelLogEntry.Event.ROLLBACK)) {
            JsonNode line = modelLog.newest(spec.id, event);
            if (line != null) {
                parameters.set("last_" + event, line);
            }
        }
        return m;
    }

    private void infer(HttpExchange e, String model) throws IOException {
        long start = System.nanoTime();
        byte[] body = readBody(e.getRequestBody(), settings.limits().maxRecordBytes * 64);
        if (body == null) {
            answer(
                    e,
                    "infer",
                    413,
                    InferenceProtocol.error(
                            "the body is larger than " + settings.limits().maxRecordBytes * 64 + " bytes"));
            return;
        }
        InferenceProtocol.Rows rows;
        List<byte[]> records = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            rows = InferenceProtocol.rows(model, body);
            EventParser parser = parsers.get();
            for (int r = 0; r < rows.requests().size(); r++) {
                String id = idPrefix + sequence.incrementAndGet();
                ObjectNode request = JSON.createObjectNode().put("id", id);
                request.setAll(rows.requests().get(r));
                byte[] record = JSON.writeValueAsBytes(request);
                ParseResult<PredictionRequest> parsed = parser.parseRequest(new String(record, StandardCharsets.UTF_8));
                if (!parsed.isOk()) {
                    DeadLetter d = parsed.deadLetter();
                    throw new InferenceProtocol.Refusal(
                            400, (rows.requests().size() > 1 ? "row " + r + ": " : "") + d.reason + ": " + d.detail);
                }
                ids.add(id);
                records.add(record);
            }
        } catch (InferenceProtocol.Refusal refusal) {
            answer(e, "infer", refusal.status, InferenceProtocol.error(refusal.getMessage()));
            return;
        }
        if (!pending.reserve(ids.size())) {
            answer(
                    e,
                    "infer",
                    503,
                    InferenceProtocol.error("overloaded: " + settings.maxPending()
                            + " rows are waiting for their predictions; try again later"));
            return;
        }
        List<CompletableFuture<JsonNode>> predictions = new ArrayList<>(ids.size());
        for (int r = 0; r < ids.size(); r++) {
            CompletableFuture<JsonNode> prediction = pending.expect(ids.get(r));
            predictions.add(prediction);
            kafka.send(records.get(r), prediction); // a failed send: the caller is answered 500
        }
        // answered by the callback, whichever way it ends
        var unused = CompletableFuture.allOf(predictions.toArray(CompletableFuture[]::new))
                .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync(
                        (done, failure) -> {
                            pending.release(ids.size());
                            ids.forEach(pending::forget);
                            try {
                                if (failure == null) {
                                    List<JsonNode> answers = predictions.stream()
                                            .map(CompletableFuture::join)
                                            .toList();
                                    metrics.inferred(ids.size(), System.nanoTime() - start);
                                    answer(
                                            e,
                                            "infer",
                                            200,
                                            InferenceProtocol.response(
                                                    model, rows.requestId(), answers, rows.explain()));
                                } else if (failure instanceof TimeoutException) {
                                    metrics.timedOut();
                                    answer(
                                            e,
                                            "infer",
                                            504,
                                            InferenceProtocol.error("no prediction within "
                                                    + settings.timeout().toMillis() + " ms: is the job running?"));
                                } else {
                                    answer(
                                            e,
                                            "infer",
                                            500,
                                            InferenceProtocol.error(
                                                    "the request could not be sent to Kafka: " + failure.getMessage()));
                                }
                            } catch (IOException gone) {
                                // the caller left: nothing to answer
                            }
                        },
                        responders);
    }

    private void answer(HttpExchange e, String endpoint, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        e.getResponseHeaders().set("Content-Type", "application/json");
        e.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = e.getResponseBody()) {
            out.write(bytes);
        }
        metrics.answered(endpoint, status);
    }

    /** The body, or null when it is longer than {@code limit}. */
    private static byte[] readBody(InputStream in, int limit) throws IOException {
        byte[] body = in.readNBytes(limit + 1);
        return body.length > limit ? null : body;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        page.close();
        modelLog.close();
        kafka.close();
        handlers.shutdownNow();
        responders.shutdownNow();
    }
}
