package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import dev.streamlearn.testing.PrometheusServer;
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
 * would: every series the provisioned Grafana dashboard queries is there, per model, and every
 * query of the dashboard returns series in a real Prometheus that scrapes the job.
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
            String bad = "{\"model\":\"bike\",\"label\":7}";
            String badReason = new EventParser(config.models(), config.inputLimits(), "t")
                    .parseLabeled(bad)
                    .deadLetter()
                    .reason;
            stack.kafka.send(config.topic(Topic.LABELED), List.of(bad));
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

            // every query of the dashboard, in a real Prometheus scraping the job: each returns series
            List<String> targets = new ArrayList<>();
            String[] range = JobStack.PROMETHEUS_PORTS.split("-", -1);
            for (int port = Integer.parseInt(range[0]); port <= Integer.parseInt(range[1]); port++) {
                targets.add("127.0.0.1:" + port);
            }
            List<String> queries = new ArrayList<>();
            new ObjectMapper().readTree(DASHBOARD.toFile()).findValues("expr").forEach(e -> queries.add(e.asText()));
            try (PrometheusServer prometheus = PrometheusServer.scraping(targets, stack.dir("prometheus"))) {
                for (String query : queries) {
                    Await.until("series for " + query, TIMEOUT, () -> {
                        try {
                            return prometheus.query(query).size() > 0;
                        } catch (java.io.IOException e) {
                            return false;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    });
                }
                JsonNode deadLetters = prometheus.query(
                        "sum by (reason) (flink_taskmanager_job_task_operator_reason_deadLetters{" + jobLabel + "})");
                assertEquals(1, deadLetters.size(), "one reason dead-lettered: " + deadLetters);
                // Flink's reporter writes a label value's characters outside [a-zA-Z0-9:_] as '_'
                assertEquals(
                        badReason.replace('-', '_'),
                        deadLetters.get(0).at("/metric/reason").asText());
            }
            System.out.printf("IT prometheus: %d dashboard queries, each with series in Prometheus%n", queries.size());
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
