package dev.streamlearn.tools;

import dev.streamlearn.job.Topic;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Tool.exit(new DeadLetters(), args);
    }

    @Override
    public Integer call() {
        // committed records only: a dead letter of a checkpoint that failed is written again after the restore
        Map<String, Long> byReason = kafka.printWhere(
                topic, follow, "reason", reason, spec.commandLine().getOut());
        long total = byReason.values().stream().mapToLong(Long::longValue).sum();
        String counts = total == 0 || reason != null
                ? ""
                : ": "
                        + byReason.entrySet().stream()
                                .map(e -> e.getValue() + " " + e.getKey())
                                .collect(Collectors.joining(", "));
        spec.commandLine()
                .getErr()
                .println(total + " dead letter" + (total == 1 ? "" : "s")
                        + (reason == null ? "" : " of reason " + reason) + " on " + topic + counts);
        return 0;
    }
}
