package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.job.Topic;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prints the records the job rejected, each as the job wrote it (its reason, detail, topic and
 * payload), and how many there were of each reason: what a user reads when {@code scripts/status}
 * counts dead letters.
 */
@Command(
        name = "scripts/dead-letters",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Prints the records the job rejected, one JSON object per line as the job wrote them"
                + " (reason, detail, source topic, payload), each partition's in the order written, then a count per"
                + " reason (on stderr).")
public final class DeadLetters implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);

    @Option(names = "--reason", paramLabel = "R", description = "Only dead letters of this reason (e.g. bad-label).")
    String reason;

    @Option(
            names = "--follow",
            description = "Keep printing dead letters as the job writes them, until interrupted (no count at the end).")
    boolean follow;

    @Option(
            names = "--topic",
            paramLabel = "T",
            description = "The dead-letter topic (default: the job's, ${DEFAULT-VALUE}).")
    String topic = Topic.DEAD_LETTER.defaultName;

    @Mixin
    KafkaClientOptions kafka;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    public static void main(String[] args) {
        Tool.exit(new DeadLetters(), args);
    }

    /** Runs the tool, printing to the given streams; returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        DeadLetters tool = new DeadLetters();
        tool.out = out;
        tool.err = err;
        return Tool.run(tool, args, out, err);
    }

    @Override
    public Integer call() {
        Map<String, Long> byReason = new TreeMap<>();
        // committed records only: a dead letter of a checkpoint that failed is written again after the restore
        try (KafkaConsumer<String, String> consumer = kafka.fromBeginning(topic, "isolation.level", "read_committed")) {
            List<TopicPartition> partitions = List.copyOf(consumer.assignment());
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (follow || partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    String why = reasonOf(r.value());
                    if (reason == null || reason.equals(why)) {
                        out.println(r.value());
                        byReason.merge(why, 1L, Long::sum);
                    }
                }
            }
        }
        long total = byReason.values().stream().mapToLong(Long::longValue).sum();
        err.println(total + " dead letter" + (total == 1 ? "" : "s") + (reason == null ? "" : " of reason " + reason)
                + " on " + topic
                + (total == 0 || reason != null
                        ? ""
                        : ": "
                                + byReason.entrySet().stream()
                                        .map(e -> e.getValue() + " " + e.getKey())
                                        .collect(Collectors.joining(", "))));
        return 0;
    }

    /** The record's reason; a record that is not a dead letter of the job's counts as {@code ?}. */
    private static String reasonOf(String value) {
        try {
            JsonNode reason = value == null ? null : JSON.readTree(value).get("reason");
            return reason == null ? "?" : reason.asText();
        } catch (IOException e) {
            return "?";
        }
    }
}
