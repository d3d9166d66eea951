package dev.streamlearn.tools;

import dev.streamlearn.gateway.Gateway;
import dev.streamlearn.job.JobConfig;
import dev.streamlearn.job.KafkaOptions;
import dev.streamlearn.job.Topic;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(
        name = "scripts/gateway",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the job's predictions over HTTP in the Open Inference Protocol (REST, \"V2\"):"
                    + " GET /v2/health/live, /v2/health/ready, /v2/models/MODEL, /v2/models/MODEL/ready;"
                    + " POST /v2/models/MODEL/infer; GET /metrics (Prometheus).",
            "Takes the job's own options after its own (--models, --model.ID.KEY, topics, Kafka): requests are"
                    + " checked with the job's parser and written to its requests topic; predictions are read from"
                    + " its predictions topic."
        })
public final class GatewayTool implements Callable<Integer> {

    @Option(names = "--host", paramLabel = "H", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "P", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port = 8090;

    @Option(
            names = "--timeout-ms",
            paramLabel = "MS",
            description = "Answer 504 when a prediction has not come back in this long (default: ${DEFAULT-VALUE}).")
    long timeoutMillis = 5000;

    @Option(
            names = "--max-pending",
            paramLabel = "N",
            description = "Rows that may wait for their predictions at once; beyond, 503 (default: ${DEFAULT-VALUE}).")
    int maxPending = 10_000;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "Flink's REST API, for readiness and model versions (default: the local stack's).")
    String url = System.getenv(LocalStack.REST_ENV);

    @Unmatched
    List<String> jobOptions = new ArrayList<>();

    /** A gateway in front of the job of {@code config}: its brokers, topics, models and input limits. */
    public static Gateway.Settings settings(
            JobConfig config, String host, int port, String requestsTopic, Duration timeout, int maxPending) {
        return new Gateway.Settings(
                host,
                port,
                config.get(KafkaOptions.BOOTSTRAP_SERVERS),
                config.kafkaClientProperties(),
                requestsTopic,
                config.topic(Topic.PREDICTIONS),
                config.topic(Topic.MODEL_LOG),
                config.models(),
                config.inputLimits(),
                timeout,
                maxPending);
    }

    public static void main(String[] args) {
        Tool.exit(new GatewayTool(), args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (timeoutMillis < 1 || maxPending < 1 || port < 0 || port > 65535) {
            throw new IllegalArgumentException("--timeout-ms and --max-pending must be at least 1, --port in 0..65535");
        }
        List<String> args = new ArrayList<>(jobOptions);
        String bootstrap = System.getenv(LocalStack.BOOTSTRAP_ENV);
        if (!args.contains("--" + KafkaOptions.BOOTSTRAP_SERVERS.key) && bootstrap != null) {
            args.add("--" + KafkaOptions.BOOTSTRAP_SERVERS.key);
            args.add(bootstrap);
        }
        JobConfig config;
        try {
            config = JobConfig.fromArgs(args.toArray(String[]::new));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        Gateway.Settings settings = settings(
                config, host, port, config.topic(Topic.REQUESTS), Duration.ofMillis(timeoutMillis), maxPending);
        FlinkJobStatus job = url == null
                ? null
                : new FlinkJobStatus(url, new ArrayList<>(config.models().keySet()));
        try (Gateway gateway = new Gateway(settings, job)) {
            if (!gateway.awaitReading(Duration.ofSeconds(60))) {
                throw new IOException("could not read topic '" + settings.predictionsTopic() + "' from "
                        + settings.bootstrapServers() + " within 60 s");
            }
            System.out.printf(
                    "Gateway on http://%s:%d (models %s), answering within %d ms%n",
                    host, gateway.port(), config.models().keySet(), timeoutMillis);
            // until the process is stopped, or it no longer reads what it answers from: then it ends, so
            // that whatever started it (scripts/up, a supervisor) starts it anew
            while (gateway.live()) {
                Thread.sleep(1000);
            }
        }
        throw new IOException("it stopped reading the predictions or the model log (the reason is above); it ends,"
                + " to be started anew");
    }
}
