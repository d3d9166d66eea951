package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.EmbeddedKafka;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import dev.streamlearn.tools.Replay;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Against a broker that only lets clients in with a SASL login, the login in a client properties
 * file reaches every Kafka client: the replay tool's producer, and the job's sources and sinks
 * (events are learnt, requests answered). The same tool with a wrong password is refused, so the
 * login is what let them in; and the password is nowhere in what the web UI shows of the job.
 */
@ExtendWith(JobStack.Shared.class)
class KafkaSecurityIT {

    private static final int EVENTS = 2000;
    private static final int REQUESTS_EVERY = 10;

    private final JobStack stack;

    KafkaSecurityIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void theLoginOfAPropertiesFileReachesTheToolsAndEveryKafkaClientOfTheJob(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka secured = EmbeddedKafka.startWithSaslLogin(dir.resolve("kafka"))) {
            Path login = write(dir.resolve("client.properties"), EmbeddedKafka.saslLogin(EmbeddedKafka.SASL_PASSWORD));
            Path wrongLogin = write(dir.resolve("wrong.properties"), EmbeddedKafka.saslLogin("not-the-password"));
            secured.createTopics(
                    2, Arrays.stream(Topic.values()).map(t -> t.defaultName).toArray(String[]::new));
            Path events = dir.resolve("bike.jsonl");
            List<DatasetEvent> bike = stack.bike.subList(0, EVENTS);
            Files.write(events, Events.json(bike));

            assertNotEquals(0, replay(secured, events, wrongLogin), "a wrong password is refused by the broker");
            assertEquals(0, replay(secured, events, login), "the replay tool logs in with the file");

            JobConfig config = JobConfig.fromArgs(
                    "--kafka.bootstrap-servers", secured.bootstrapServers(),
                    "--kafka.properties-file", login.toString(),
                    "--kafka.group-id", "secured-job",
                    "--kafka.starting-offsets", "earliest",
                    "--models", MODEL,
                    "--batch.size", "50",
                    "--batch.millis", "100");
            try (JobStack.Running running = stack.run("secured", config)) {
                JobClient job = running.job;
                JobMetrics metrics = running.metrics;
                Await.until(
                        "every replayed event learnt through the secured source",
                        TIMEOUT,
                        () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED)) == EVENTS,
                        () -> "examplesTrained="
                                + metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED)));
                int requests = EVENTS / REQUESTS_EVERY;
                List<String> predictions = secured.readAll(Topic.PREDICTIONS.defaultName, requests, TIMEOUT);
                assertEquals(requests, predictions.size(), "every request answered through the secured sink");

                String shown = http(stack.restAddress().resolve("/jobs/" + job.getJobID() + "/config"));
                assertTrue(shown.contains(job.getJobID().toString()), "the job's configuration as the web UI shows it");
                assertFalse(shown.contains(EmbeddedKafka.SASL_PASSWORD), "the password is not shown: " + shown);
            }
        }
    }

    private static int replay(EmbeddedKafka kafka, Path events, Path login) {
        return new CommandLine(new Replay())
                .execute(
                        "--file",
                        events.toString(),
                        "--format",
                        "jsonl",
                        "--model",
                        MODEL,
                        "--rate",
                        "0",
                        "--quiet",
                        "--requests-every",
                        String.valueOf(REQUESTS_EVERY),
                        "--bootstrap",
                        kafka.bootstrapServers(),
                        "--kafka-properties",
                        login.toString());
    }

    private static Path write(Path file, Properties p) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "a Kafka client login");
        }
        return file;
    }

    private static String http(URI uri) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), uri + ": " + r.body());
        return r.body();
    }
}
