package dev.streamlearn.demo;

import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.datasets.OpenBanditEvents;
import dev.streamlearn.job.JobConfig;
import dev.streamlearn.job.LearningJob;
import dev.streamlearn.testing.EmbeddedKafka;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.FlinkConf;
import dev.streamlearn.tools.ClusterMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One command, everything local: a real KRaft broker, a Flink cluster in this JVM with the web
 * UI, the learning job, and two real datasets replayed through Kafka, with progress read from
 * the cluster's REST metrics. Run it with scripts/demo.sh.
 */
public final class LocalDemo {

    private static final String USAGE = String.join("\n",
            "usage: scripts/demo.sh [--rate EVENTS_PER_SECOND] [--seconds N] [--port PORT]",
            "  --rate     labeled events replayed per second (default 2000)",
            "  --seconds  stop after N seconds (default: run until Ctrl+C)",
            "  --port     web UI port (default 8081)");

    public static void main(String[] args) throws Exception {
        int rate = 2000;
        long seconds = 0;
        int port = 8081;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println(USAGE);
                return;
            }
            if (i + 1 >= args.length) {
                fail("option " + a + " needs a value\n" + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--rate": rate = positive(a, v); break;
                case "--seconds": seconds = positive(a, v); break;
                case "--port": port = positive(a, v); break;
                default: fail("unknown option " + a + "\n" + USAGE);
            }
        }
        checkPortFree(port);

        Path work = Path.of("target", "demo").toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        System.out.println("Starting a Kafka broker (KRaft) ...");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"))) {
            String[] topics = {"labeled-events", "prediction-requests", "model-control", "predictions", "dead-letter"};
            kafka.createTopics(2, topics);
            System.out.println("Kafka at " + kafka.bootstrapServers() + ", topics " + String.join(", ", topics));

            JobConfig config = JobConfig.fromArgs("--kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "--models", "ctr,bike", "--batch.size", "100", "--batch.millis", "200");
            Configuration conf = FlinkConf.load(work.resolve("flink"), Duration.ofSeconds(5));
            conf.setString("rest.port", String.valueOf(port));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            env.setParallelism(2);
            LearningJob.attachToKafka(env, config);
            JobClient job = env.executeAsync(LearningJob.JOB_NAME);
            String ui = "http://127.0.0.1:" + port;
            System.out.println("Flink web UI: " + ui + "   (job " + job.getJobID() + ")");

            List<DatasetEvent> events = replayOrder();
            AtomicLong sent = new AtomicLong();
            int eventsPerSecond = rate;
            Thread replay = new Thread(() -> replay(kafka, events, eventsPerSecond, sent), "replay");
            replay.setDaemon(true);
            replay.start();
            System.out.printf("Replaying %d labeled events (Open Bandit clicks as model 'ctr', bike-sharing busy hours"
                    + " as model 'bike') at %d/s; every 10th also as a prediction request.%n", events.size(), rate);

            ClusterMetrics rest = new ClusterMetrics(ui);
            long end = seconds > 0 ? System.currentTimeMillis() + seconds * 1000 : Long.MAX_VALUE;
            while (System.currentTimeMillis() < end) {
                Thread.sleep(2000); // refresh interval of the progress line
                printProgress(rest, job.getJobID().toString(), sent.get(), events.size());
            }
            job.cancel().get();
        }
    }

    /** Both datasets interleaved by position, so both models learn side by side. */
    private static List<DatasetEvent> replayOrder() {
        Path obd = Path.of("src", "data", "open_bandit");
        List<DatasetEvent> clicks = OpenBanditEvents.read("ctr", List.of(obd.resolve("random_men.csv"),
                obd.resolve("random_women.csv"), obd.resolve("bts_men.csv"), obd.resolve("bts_women.csv")));
        List<DatasetEvent> bike = BikeSharingEvents.read("bike", Path.of("src", "data", "bike_sharing", "hour.csv"),
                BikeSharingEvents.Label.BUSY_HOUR);
        List<DatasetEvent> merged = new ArrayList<>(clicks.size() + bike.size());
        double step = (double) clicks.size() / bike.size();
        int c = 0;
        for (int b = 0; b < bike.size(); b++) {
            while (c < (b + 1) * step && c < clicks.size()) {
                merged.add(clicks.get(c++));
            }
            merged.add(bike.get(b));
        }
        merged.addAll(clicks.subList(c, clicks.size()));
        return merged;
    }

    private static void replay(EmbeddedKafka kafka, List<DatasetEvent> events, int rate, AtomicLong sent) {
        int chunk = Math.max(1, rate / 10);
        long start = System.nanoTime();
        for (int i = 0; i < events.size(); i += chunk) {
            List<DatasetEvent> part = events.subList(i, Math.min(events.size(), i + chunk));
            kafka.send("labeled-events", Events.json(part));
            List<String> requests = new ArrayList<>();
            for (int k = 0; k < part.size(); k += 10) {
                requests.add(Events.requestFor(part.get(k), "req-" + (i + k)));
            }
            kafka.send("prediction-requests", requests);
            sent.addAndGet(part.size());
            long due = start + (long) ((i + part.size()) * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        System.out.println("Replay finished. The job keeps running; press Ctrl+C to stop.");
    }

    private static void printProgress(ClusterMetrics rest, String jobId, long sent, int total) {
        try {
            String[] wanted = {"model.ctr.modelVersion", "model.ctr.examplesTrained", "model.ctr.logLoss",
                    "model.ctr.auc", "model.bike.modelVersion", "model.bike.examplesTrained", "model.bike.logLoss",
                    "model.bike.auc", "predictionsServed"};
            Map<String, Double> m = rest.sums(jobId, wanted);
            System.out.printf("sent %6d/%d | ctr v%-4.0f trained %6.0f logloss %.4f auc %.3f | bike v%-4.0f trained"
                            + " %6.0f logloss %.4f auc %.3f | predictions %6.0f%n", sent, total,
                    m.getOrDefault("model.ctr.modelVersion", 0.0), m.getOrDefault("model.ctr.examplesTrained", 0.0),
                    m.getOrDefault("model.ctr.logLoss", Double.NaN), m.getOrDefault("model.ctr.auc", Double.NaN),
                    m.getOrDefault("model.bike.modelVersion", 0.0),
                    m.getOrDefault("model.bike.examplesTrained", 0.0),
                    m.getOrDefault("model.bike.logLoss", Double.NaN), m.getOrDefault("model.bike.auc", Double.NaN),
                    m.getOrDefault("predictionsServed", 0.0));
        } catch (IOException e) {
            System.out.println("sent " + sent + "/" + total + " (metrics not available yet: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void checkPortFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            fail("port " + port + " on 127.0.0.1 is taken (another Flink cluster or demo?). "
                    + "Stop it or pass --port <free port>.");
        }
    }

    private static int positive(String option, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail("option " + option + " wants a positive whole number, got '" + value + "'");
        return 0;
    }

    private static void fail(String message) {
        System.err.println("demo: " + message);
        System.exit(2);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
