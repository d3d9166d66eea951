package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.streamlearn.tools.Generate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** The data tools write to a real broker what they would write to a file, and check that Kafka took it. */
@ExtendWith(JobStack.Shared.class)
class ToolsToKafkaIT {

    private static final int EVENTS = 3000;

    private final JobStack stack;

    ToolsToKafkaIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void theGeneratorSendsToKafkaTheStreamItWritesToAFile() throws Exception {
        String topic = "generated-it";
        stack.kafka.createTopics(2, topic);
        String[] stream = {"--events", String.valueOf(EVENTS), "--seed", "7", "--drift-gradual", "1000-2000"};
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(file, true, StandardCharsets.UTF_8));
            assertEquals(0, generate(stream));
        } finally {
            System.setOut(stdout);
        }
        List<String> written = file.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(EVENTS, written.size());

        String[] toKafka = concat(
                stream, "--bootstrap", stack.kafka.bootstrapServers(), "--topic", topic, "--rate", "0", "--quiet");
        assertEquals(0, generate(toKafka));
        List<String> sent = stack.kafka.readAll(topic, EVENTS, JobStack.TIMEOUT);
        assertEquals(EVENTS, sent.size(), "every generated event is in the topic");
        assertEquals(Set.copyOf(written), Set.copyOf(sent), "the same events as the file (two partitions: any order)");

        assertNotEquals(0, generate(concat(toKafka, "--out", "x.jsonl")), "a file and Kafka at once is refused");
    }

    private static int generate(String... args) {
        return new CommandLine(new Generate())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
