package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.job.Topic;
import dev.streamlearn.metrics.MetricNames;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Many models in one running job: each model learns its own features until it uses as many
 * coordinates as asked, then each is asked for one prediction; prints what the TaskManager's heap
 * holds after a full collection, and fails unless every model trained every example and answered
 * with a version it learnt, without a restart of the job.
 */
@Command(
        name = "scripts/bench-models",
        mixinStandardHelpOptions = true,
        description = {
            "Feeds a running job of models m0000, m0001 ... (scripts/bench-models submits it): each model learns"
                    + " --active coordinates of its own (--features-per-event distinct strings per event), then"
                    + " answers one prediction request. Prints the TaskManager's heap after a full collection."
        })
public final class ManyModelsBench implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:" + LocalStack.REST_ENV + "}")
    String url;

    @Option(names = "--job", required = true, paramLabel = "ID")
    String job;

    @Option(names = "--models", paramLabel = "N", defaultValue = "500")
    int models;

    @Option(names = "--active", paramLabel = "K", defaultValue = "5000", description = "Coordinates each model learns.")
    int active;

    @Option(names = "--features-per-event", paramLabel = "F", defaultValue = "50")
    int featuresPerEvent;

    @Option(
            names = "--taskmanager-pid",
            required = true,
            paramLabel = "PID",
            description = "The TaskManager's process on this machine, for jcmd.")
    long taskManagerPid;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900")
    int timeoutSeconds;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Tool.exit(new ManyModelsBench(), args);
    }

    /** The name of model {@code m}: the same as the script gives the job. */
    static String model(int m) {
        return String.format("m%04d", m);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ClusterMetrics rest = new ClusterMetrics(LocalStack.required(url, "--url URL", "Flink's REST API"));
        int eventsPerModel = (active + featuresPerEvent - 1) / featuresPerEvent;
        long examples = (long) eventsPerModel * models;
        long started = System.nanoTime();
        send(eventsPerModel);
        String[] trained = new String[models];
        for (int m = 0; m < models; m++) {
            trained[m] = MetricNames.ofModel(model(m), MetricNames.EXAMPLES_TRAINED);
        }
        long deadline = started + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        double sum = 0;
        while (sum < examples) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the models trained " + (long) sum + " of " + examples + " examples in "
                        + timeoutSeconds + " s");
            }
            TimeUnit.SECONDS.sleep(2);
            sum = rest.sums(job, trained).values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
        }
        double trainedSeconds = (System.nanoTime() - started) / 1e9;
        int answered = askEachModel();
        double restarts = rest.get("/jobs/" + job + "/metrics?get=numRestarts")
                .path(0)
                .path("value")
                .asDouble(-1);
        long heapUsed = heapAfterFullCollection();
        double heapMax = taskManagerHeapMax(rest);
        out.printf("| models | active coordinates each | examples | trained in (s) | answered with a learnt version |"
                + " job restarts | TaskManager heap after a full GC (MB) | of its heap (MB) |%n");
        out.printf("|---|---|---|---|---|---|---|---|%n");
        out.printf(
                "| %d | %d | %d | %.0f | %d | %.0f | %.0f | %.0f |%n",
                models,
                (long) eventsPerModel * featuresPerEvent,
                examples,
                trainedSeconds,
                answered,
                restarts,
                heapUsed / 1e6,
                heapMax / 1e6);
        if (answered != models || restarts != 0) {
            spec.commandLine()
                    .getErr()
                    .printf(
                            "bench-models: %d of %d models did not answer with a learnt version; the job restarted %.0f"
                                    + " times%n",
                            models - answered, models, restarts);
            return 1;
        }
        return 0;
    }

    /** Every model's events, model after model within each round, so that they all learn at once. */
    private void send(int eventsPerModel) throws Exception {
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, String> producer = kafka.stringProducer("linger.ms", "20")) {
            for (int e = 0; e < eventsPerModel; e++) {
                for (int m = 0; m < models; m++) {
                    ObjectNode event = JSON.createObjectNode();
                    event.put("id", model(m) + "-" + e);
                    event.put("model", model(m));
                    event.put("label", (m + e) % 2);
                    event.set("features", features(m, e));
                    var unused = producer.send(
                            new ProducerRecord<>(Topic.LABELED.defaultName, model(m), event.toString()),
                            (written, failure) -> counted(failure, failed));
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + (long) eventsPerModel * models
                    + " labeled events were not written to Kafka");
        }
    }

    /** Strings of this model and event only: each a coordinate no other event of the model has. */
    private ObjectNode features(int m, int e) {
        ObjectNode f = JSON.createObjectNode();
        for (int j = 0; j < featuresPerEvent; j++) {
            f.put("f" + j, m + "-" + e + "-" + j);
        }
        return f;
    }

    /** Sends one request per model and counts the models answered with a version after 0. */
    private int askEachModel() throws Exception {
        Map<String, Long> versions = new HashMap<>();
        AtomicLong failed = new AtomicLong();
        try (KafkaConsumer<String, String> consumer = kafka.fromNowOn(Topic.PREDICTIONS.defaultName);
                KafkaProducer<String, String> producer = kafka.stringProducer()) {
            for (int m = 0; m < models; m++) {
                ObjectNode request = JSON.createObjectNode();
                request.put("id", "ask-" + model(m));
                request.put("model", model(m));
                request.set("features", features(m, 0));
                var unused = producer.send(
                        new ProducerRecord<>(Topic.REQUESTS.defaultName, model(m), request.toString()),
                        (written, failure) -> counted(failure, failed));
            }
            producer.flush();
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " of " + models + " requests were not written to Kafka");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (versions.size() < models && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode prediction = JSON.readTree(r.value());
                    String id = prediction.path("id").asText();
                    if (id.startsWith("ask-") && prediction.path("modelVersion").asLong() > 0) {
                        versions.put(id, prediction.path("modelVersion").asLong());
                    }
                }
            }
        }
        return versions.size();
    }

    private static void counted(Exception failure, AtomicLong failed) {
        if (failure != null) {
            failed.incrementAndGet();
        }
    }

    /** Bytes of the TaskManager's heap in use after a full collection (jcmd), which is what it holds. */
    private long heapAfterFullCollection() throws Exception {
        jcmd("GC.run");
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info printed no heap total/used line");
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private String jcmd(String command) throws Exception {
        Process p = new ProcessBuilder("jcmd", String.valueOf(taskManagerPid), command)
                .redirectErrorStream(true)
                .start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + taskManagerPid + " " + command + " failed: " + printed);
        }
        return printed;
    }

    private static double taskManagerHeapMax(ClusterMetrics rest) throws Exception {
        String id = rest.get("/taskmanagers")
                .path("taskmanagers")
                .path(0)
                .path("id")
                .asText();
        return rest.get("/taskmanagers/" + id + "/metrics?get=Status.JVM.Memory.Heap.Max")
                .path(0)
                .path("value")
                .asDouble(Double.NaN);
    }
}
