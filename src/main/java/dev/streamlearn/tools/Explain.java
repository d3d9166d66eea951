package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.job.Topic;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "scripts/explain",
        mixinStandardHelpOptions = true,
        description = {
            "Shows why a request was scored what it was: the last prediction for REQUEST_ID on the predictions"
                    + " topic, feature by feature (its value as the model saw it, its weight, what it added).",
            "Only requests sent with \"explain\":true carry this; entity features are among the features."
        })
public final class Explain implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "REQUEST_ID", description = "The request's id.")
    String requestId;

    @Mixin
    KafkaClientOptions kafka;

    @Option(
            names = "--topic",
            paramLabel = "T",
            description = "The predictions topic (default: the job's, ${DEFAULT-VALUE}).")
    String topic = Topic.PREDICTIONS.defaultName;

    private PrintStream out = System.out;

    public static void main(String[] args) {
        Tool.exit(new Explain(), args);
    }

    /** Runs the tool, printing to the given streams; returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Explain tool = new Explain();
        tool.out = out;
        return Tool.run(tool, args, out, err);
    }

    @Override
    public Integer call() throws IOException {
        Properties p = kafka.properties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        JsonNode last = null;
        long read = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .collect(Collectors.toList());
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("topic '" + topic + "' does not exist on " + kafka.bootstrap());
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            String needle = "\"id\":" + JSON.writeValueAsString(requestId);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    read++;
                    if (r.value() != null && r.value().contains(needle)) {
                        JsonNode n = JSON.readTree(r.value());
                        if (requestId.equals(n.path("id").asText())) {
                            last = n;
                        }
                    }
                }
            }
        }
        if (last == null) {
            out.printf("explain: no prediction for request '%s' among the %d on %s%n", requestId, read, topic);
            return 1;
        }
        out.printf(
                Locale.ROOT,
                "request %s: model %s v%d, score %.6g%n",
                requestId,
                last.path("model").asText(),
                last.path("modelVersion").asLong(),
                last.path("score").asDouble());
        JsonNode e = last.path("explanation");
        if (e.isMissingNode()) {
            out.println("explain: this prediction has no explanation: send the request with \"explain\":true");
            return 1;
        }
        out.printf(
                Locale.ROOT,
                "margin %.6g = bias %.6g + the features below%n",
                e.path("margin").asDouble(),
                e.path("bias").asDouble());
        out.printf(Locale.ROOT, "%-40s %12s %12s %12s %12s%n", "feature", "raw", "value", "weight", "contribution");
        for (JsonNode f : e.path("features")) {
            out.printf(
                    Locale.ROOT,
                    "%-40s %12s %12.6g %12.6g %12.6g%n",
                    f.path("name").asText(),
                    f.has("raw")
                            ? String.format(Locale.ROOT, "%.6g", f.path("raw").asDouble())
                            : "",
                    f.path("value").asDouble(),
                    f.path("weight").asDouble(),
                    f.path("contribution").asDouble());
        }
        return 0;
    }
}
