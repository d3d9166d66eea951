package dev.streamlearn.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The page at {@code /} that shows each model learning, and its data at {@code /api/models}: the
 * learning curve the gateway samples from the job's metrics (every second while the page is
 * open, every ten seconds otherwise), the model log drawn on it, the learners' leaderboard, and
 * the commands for a rollback or a freeze. The page is one
 * file with no outside resources: it draws its charts itself and asks for the data again every
 * two seconds.
 */
final class ModelPage implements AutoCloseable {

    static final long SAMPLE_EVERY_MILLIS = 1000;
    /**
     * How far apart samples are while nobody has asked for the page's data for {@link
     * #WATCHED_FOR_MILLIS}: each sample has Flink fetch every metric of every TaskManager (thousands
     * of them), which cost an idle job 5 to 9 % of a core, TaskManager, JobManager and gateway
     * together, whether or not anyone looked.
     */
    static final long UNWATCHED_SAMPLE_EVERY_MILLIS = 10_000;
    /** The page asks for its data every two seconds while it is open. */
    static final long WATCHED_FOR_MILLIS = 10_000;
    /** Model-log lines sent to the page per model. */
    static final int LOG_LINES = 50;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEARNER_PREFIX = MetricNames.LEARNER_GROUP + ".";

    private final Map<String, ModelSpec> models;
    private final JobStatus job;
    private final ModelLogReader log;
    private final Map<String, ModelHistory> histories = new LinkedHashMap<>();
    private final ScheduledExecutorService sampler;
    private final byte[] page;
    private volatile long watchedUntilMillis;
    private long sampledAtMillis = Long.MIN_VALUE;

    /** @param job null: no curves (the page shows the model log and the commands) */
    ModelPage(Map<String, ModelSpec> models, JobStatus job, ModelLogReader log) {
        this.models = models;
        this.job = job;
        this.log = log;
        models.keySet().stream().sorted().forEach(m -> histories.put(m, new ModelHistory()));
        this.page = resource("model-page.html");
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-model-page");
            t.setDaemon(true);
            return t;
        });
        if (job != null) {
            var unused = sampler.scheduleWithFixedDelay(this::sample, 0, SAMPLE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void sample() {
        long now = System.currentTimeMillis();
        if (!sampleDue(now, sampledAtMillis, watchedUntilMillis)) {
            return;
        }
        sampledAtMillis = now;
        histories.forEach((model, history) -> history.sample(now, job.figures(model)));
    }

    /** Every second while the page is watched, else every {@link #UNWATCHED_SAMPLE_EVERY_MILLIS}. */
    static boolean sampleDue(long nowMillis, long sampledAtMillis, long watchedUntilMillis) {
        return nowMillis < watchedUntilMillis
                || sampledAtMillis == Long.MIN_VALUE
                || nowMillis - sampledAtMillis >= UNWATCHED_SAMPLE_EVERY_MILLIS;
    }

    private void watched() {
        watchedUntilMillis = System.currentTimeMillis() + WATCHED_FOR_MILLIS;
    }

    void servePage(HttpExchange e) throws IOException {
        if (!e.getRequestURI().getPath().equals("/")) {
            send(
                    e,
                    404,
                    "text/plain; charset=utf-8",
                    ("no such page: " + e.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8));
            return;
        }
        watched();
        send(e, 200, "text/html; charset=utf-8", page);
    }

    void serveData(HttpExchange e) throws IOException {
        watched();
        send(e, 200, "application/json", JSON.writeValueAsBytes(data()));
    }

    /** Every model: its figures, curve, model log, learners and the commands that act on it. */
    ObjectNode data() {
        ObjectNode out = JSON.createObjectNode();
        out.put("running", job != null && job.running());
        ArrayNode list = out.putArray("models");
        histories.forEach((model, history) -> {
            ObjectNode m = list.addObject();
            m.put("name", model);
            m.put("loss", models.get(model).loss().toString().toLowerCase(Locale.ROOT));
            Map<String, Double> figures = job == null ? Map.of() : job.figures(model);
            ObjectNode f = m.putObject("figures");
            Map<String, ObjectNode> learners = new TreeMap<>();
            figures.forEach((name, value) -> {
                if (name.startsWith(LEARNER_PREFIX)) {
                    int dot = name.lastIndexOf('.');
                    String learner = name.substring(LEARNER_PREFIX.length(), dot);
                    putNumber(
                            learners.computeIfAbsent(
                                    learner, l -> JSON.createObjectNode().put("name", l)),
                            name.substring(dot + 1),
                            value);
                } else {
                    putNumber(f, name, value);
                }
            });
            learners.values().forEach(m.putArray("learners")::add);
            m.set("history", history.toJson());
            List<JsonNode> lines = log.lines(model);
            lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()).forEach(m.putArray("log")::add);
            ObjectNode last = m.putObject("last");
            for (ModelLogEntry.Event event : List.of(
                    ModelLogEntry.Event.PROMOTE,
                    ModelLogEntry.Event.ROLLBACK,
                    ModelLogEntry.Event.FREEZE,
                    ModelLogEntry.Event.ALARM,
                    ModelLogEntry.Event.STORED)) {
                JsonNode line = log.newest(model, event);
                if (line != null) {
                    last.set(event.toString(), line);
                }
            }
            ObjectNode commands = m.putObject("commands");
            commands.put("rollback", "scripts/control rollback " + model + " previous-better");
            commands.put("rollbackTo", "scripts/control rollback " + model + " VERSION");
            commands.put("freeze", "scripts/control freeze " + model);
            commands.put("resume", "scripts/control resume " + model);
            commands.put("promote", "scripts/control promote " + model + " LEARNER");
        });
        return out;
    }

    private static void putNumber(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    private static void send(HttpExchange e, int status, String type, byte[] body) throws IOException {
        e.getResponseHeaders().set("Content-Type", type);
        e.getResponseHeaders().set("Cache-Control", "no-store");
        e.sendResponseHeaders(status, body.length);
        try (OutputStream out = e.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ModelPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the gateway's " + name + " is missing from its jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
