package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job's metrics through Flink's Prometheus reporter, scraped over 127.0.0.1 as Prometheus
 * would: every series the provisioned Grafana dashboard queries is there, per model.
 */
@ExtendWith(JobStack.Shared.class)
class PrometheusMetricsIT {

    static final Path DASHBOARD = Path.of("docs/monitoring/grafana/dashboards/streamlearn.json");
    private static final Pattern SERIES = Pattern.compile("flink_[A-Za-z0-9_]+");
    private static final int EVENTS = 1000;
    /** Rentals per hour, a squared-loss model. */
    private static final String RIDES = "rides";

    private final JobStack stack;

    PrometheusMetricsIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void everySeriesTheDashboardQueriesIsScrapedPerModel() throws Exception {
        // a logistic and a squared-loss model: the dashboard shows the measures of both kinds
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers",
                stack.kafka.bootstrapServers(),
                "--kafka.group-id",
                "prom-job",
                "--models",
                MODEL + "," + RIDES,
                "--model." + RIDES + ".loss",
                "squared",
                "--batch.size",
                "50",
                "--batch.millis",
                "100"));
        args.addAll(stack.topics("prom-", "labeled", "requests", "control", "predictions", "dead-letter", "model-log"));
        JobConfig config = JobConfig.fromArgs(args.toArray(new String[0]));
        StreamExecutionEnvironment env = stack.env("prom");
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("prometheus-it");
        JobMetrics metrics = stack.metrics(job);
        try {
            stack.kafka.send(config.topic(Topic.LABELED), Events.json(stack.bike.subList(0, EVENTS)));
            stack.kafka.send(
                    config.topic(Topic.LABELED),
                    Events.json(BikeSharingEvents.read(
                                    RIDES, Path.of("src/data/bike_sharing/hour.csv"), BikeSharingEvents.Label.COUNT)
                            .subList(0, EVENTS)));
            stack.kafka.send(config.topic(Topic.LABELED), List.of("{\"model\":\"bike\",\"label\":7}"));
            stack.kafka.send(config.topic(Topic.REQUESTS), stack.requests(0, 20));
            Await.until(
                    "every event learnt",
                    TIMEOUT,
                    () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED)) == EVENTS
                            && metrics.longValue(MetricNames.ofModel(RIDES, MetricNames.EXAMPLES_TRAINED)) == EVENTS);
            stack.readPredictions(config, 20);

            String jobLabel = "job_id=\"" + job.getJobID() + "\"";
            List<String> scraped = new ArrayList<>();
            Await.until("the job's model metrics on the Prometheus endpoint", TIMEOUT, () -> {
                scraped.clear();
                scraped.addAll(scrape(jobLabel));
                return scraped.stream().anyMatch(l -> l.contains("model=\"" + MODEL + "\""));
            });
            Set<String> queried = queriedSeries();
            assertFalse(queried.isEmpty(), "the dashboard queries series");
            for (String series : queried) {
                boolean prefix = series.endsWith("_"); // a family matched by a regex: dead letters by reason
                assertTrue(
                        scraped.stream().anyMatch(l -> prefix ? l.startsWith(series) : l.startsWith(series + "{")),
                        series + " is queried by the dashboard but not scraped; the job's series:\n"
                                + String.join("\n", names(scraped)));
            }
            String version = scraped.stream()
                    .filter(l -> l.startsWith("flink_taskmanager_job_task_operator_model_modelVersion{")
                            && l.contains("model=\"" + MODEL + "\""))
                    .findFirst()
                    .orElseThrow();
            assertEquals(
                    (double) metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION)),
                    Double.parseDouble(version.substring(version.lastIndexOf(' ') + 1)),
                    "the scraped version is the job's: " + version);
        } finally {
            JobStack.cancelIfRunning(job);
        }
    }

    /** The sample lines of the job's series, from the first port of the range that answers with them. */
    private static List<String> scrape(String jobLabel) {
        String[] range = JobStack.PROMETHEUS_PORTS.split("-", -1);
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        List<String> lines = new ArrayList<>();
        for (int port = Integer.parseInt(range[0]); port <= Integer.parseInt(range[1]); port++) {
            HttpResponse<String> r;
            try {
                r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException nothingThere) {
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            r.body()
                    .lines()
                    .filter(l -> !l.startsWith("#") && l.contains(jobLabel))
                    .forEach(lines::add);
        }
        return lines;
    }

    /** The series names in the dashboard's queries. */
    static Set<String> queriedSeries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> names = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = SERIES.matcher(expr.asText());
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    private static Set<String> names(List<String> lines) {
        Set<String> names = new TreeSet<>();
        for (String l : lines) {
            names.add(l.substring(0, l.indexOf('{') < 0 ? l.indexOf(' ') : l.indexOf('{')));
        }
        return names;
    }
}
