package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.gateway.Gateway;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.HeadlessChromium;
import dev.streamlearn.testing.JobMetrics;
import dev.streamlearn.tools.FlinkJobStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's model page in a real browser: a job learns two models (logistic and squared loss),
 * one is rolled back and the other frozen by command, and headless Chromium renders the page,
 * whose figures, curves, model log on the curve and leaderboard are those of the job.
 */
@ExtendWith(JobStack.Shared.class)
class ModelPageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rentals per hour, a squared-loss model. */
    private static final String RIDES = "rides";

    private static final Pattern SECTION = Pattern.compile("<section class=\"model\" data-model=\"([^\"]+)\">");

    private final JobStack stack;
    private final HttpClient http = HttpClient.newHttpClient();

    ModelPageIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void theModelPageShowsEachModelLearningInABrowser() throws Exception {
        // a logistic and a squared-loss model, as a job may hold; each version stored, so a rollback has targets
        JobConfig config = stack.config(
                "page-",
                "--models",
                MODEL + "," + RIDES,
                "--model." + RIDES + ".loss",
                "squared",
                "--store.interval",
                "0");
        List<DatasetEvent> rides =
                BikeSharingEvents.read(RIDES, Path.of("src/data/bike_sharing/hour.csv"), BikeSharingEvents.Label.COUNT);
        try (JobStack.Running running = stack.run("page", config);
                Gateway gateway = new Gateway(
                        GatewayIT.settings(config, config.topic(Topic.REQUESTS), 5_000, 100),
                        new FlinkJobStatus(stack.restAddress().toString(), List.of(MODEL, RIDES)))) {
            JobMetrics metrics = running.metrics;
            String base = "http://127.0.0.1:" + gateway.port();
            // in three parts, so that the curves the gateway samples each second have points apart
            for (int part = 0; part < 3; part++) {
                int through = 1000 * (part + 1);
                stack.kafka.send(config.topic(Topic.LABELED), Events.json(stack.bike.subList(through - 1000, through)));
                stack.kafka.send(config.topic(Topic.LABELED), Events.json(rides.subList(through - 1000, through)));
                int samples = part + 1;
                for (String model : List.of(MODEL, RIDES)) {
                    String trained = MetricNames.ofModel(model, MetricNames.EXAMPLES_TRAINED);
                    Await.until(
                            model + " trained through " + through,
                            TIMEOUT,
                            () -> metrics.longValue(trained) == through);
                    Await.until(
                            model + "'s curve on the page through " + through,
                            TIMEOUT,
                            () -> model(base, model)
                                                    .get("figures")
                                                    .path("examplesTrained")
                                                    .asDouble()
                                            == through
                                    && model(base, model)
                                                    .get("history")
                                                    .get("millis")
                                                    .size()
                                            >= samples);
                }
            }
            // the rollback by its command, and a freeze: both on the timeline, and the figures stand still
            long before = metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION));
            stack.kafka.send(
                    config.topic(Topic.CONTROL),
                    List.of(
                            "{\"op\":\"rollback\",\"model\":\"" + MODEL + "\",\"version\":" + (before - 2) + "}",
                            "{\"op\":\"freeze\",\"model\":\"" + RIDES + "\"}"));
            Await.until(
                    "the rollback and the freeze on the page's data",
                    TIMEOUT,
                    () -> model(base, MODEL).get("last").has("rollback")
                            && model(base, MODEL)
                                            .get("figures")
                                            .path("modelVersion")
                                            .asLong()
                                    == before + 1
                            && model(base, RIDES).get("last").has("freeze")
                            && model(base, RIDES).get("figures").path("frozen").asDouble() == 1);
            JsonNode bike = model(base, MODEL);
            int learners = bike.get("learners").size();
            assertTrue(learners >= 2, "the default challengers learn beside the champion: " + bike.get("learners"));

            String dom = HeadlessChromium.renderedDom(base + "/", Duration.ofSeconds(5));

            Map<String, String> sections = sections(dom);
            assertEquals(List.of(MODEL, RIDES), new ArrayList<>(sections.keySet()), "one section per model");
            String b = sections.get(MODEL);
            assertEquals(Long.toString(before + 1), value(b, "version"), "the rolled-back version, as the job serves");
            assertEquals("3000", value(b, "examples"));
            assertEquals(
                    String.format(
                            Locale.ROOT,
                            "%.4f",
                            bike.get("figures").get("logLoss").asDouble()),
                    value(b, "loss"),
                    "the windowed log loss of the trainer");
            assertTrue(points(b, "logLoss") >= 3, "a log-loss curve of the three parts at least");
            assertTrue(points(b, "auc") >= 3, "an AUC curve");
            assertTrue(b.contains("<li class=\"event rollback\" data-event=\"rollback\">"), "the rollback in the log");
            assertTrue(b.contains("class=\"last rollback\""), "the last rollback beside the figures");
            assertTrue(b.contains("<line class=\"event\" data-event=\"rollback\""), "the rollback drawn on the curve");
            assertEquals(learners, count(b, "<tr class=\"learner"), "a leaderboard row per learner");
            assertEquals(1, count(b, "<tr class=\"learner champion\""), "one champion");
            // each challenger against the champion as scripts/status writes it, where the page has a comparison
            for (JsonNode l : bike.get("learners")) {
                double improvement = l.path("improvement").asDouble(Double.NaN);
                String row = find(
                        b,
                        "(<tr class=\"learner[^\"]*\" data-learner=\""
                                + l.get("name").asText() + "\">.*?</tr>)");
                String expected = l.path("champion").asDouble() == 1 || Double.isNaN(improvement)
                        ? "–"
                        : String.format(
                                Locale.ROOT,
                                "%.1f %% %s",
                                Math.abs(100 * improvement),
                                improvement >= 0 ? "lower" : "higher");
                assertTrue(row.contains("<td>" + expected + "</td>"), expected + " in " + row);
            }
            assertTrue(b.contains("scripts/control rollback " + MODEL + " previous-better"), "the rollback command");
            String r = sections.get(RIDES);
            assertEquals("yes", value(r, "frozen"));
            assertTrue(points(r, "mae") >= 3 && points(r, "rmse") >= 3, "the squared-loss model's curves");
            assertTrue(r.contains("<li class=\"event freeze\" data-event=\"freeze\">"), "the freeze in the log");
            assertFalse(
                    r.contains("<div class=\"figures forecasts\">"),
                    "a model that forecasts no series shows no forecasts");
            assertTrue(dom.contains("The job runs."), "the job's state");
            System.out.printf(
                    "IT model page: %s v%d after a rollback with %d curve points and %d learners, %s frozen,"
                            + " rendered by headless Chromium%n",
                    MODEL, before + 1, points(b, "logLoss"), learners, RIDES);
        }
    }

    /** Each model's section of the rendered page, in the page's order. */
    private static Map<String, String> sections(String dom) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = SECTION.matcher(dom);
        List<Integer> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            starts.add(m.start());
            names.add(m.group(1));
        }
        for (int i = 0; i < starts.size(); i++) {
            out.put(
                    names.get(i),
                    dom.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : dom.length()));
        }
        return out;
    }

    private static int points(String section, String series) {
        return Integer.parseInt(find(section, "<svg[^>]*data-series=\"" + series + "\".*?data-points=\"(\\d+)\""));
    }

    private JsonNode model(String base, String name) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            for (JsonNode m : JSON.readTree(r.body()).get("models")) {
                if (m.get("name").asText().equals(name)) {
                    return m;
                }
            }
            throw new AssertionError("no model '" + name + "' in " + r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The text of the figure rendered with the class. */
    private static String value(String dom, String cls) {
        return find(dom, "<span class=\"value " + cls + "\">([^<]*)</span>");
    }

    private static String find(String dom, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(dom);
        assertTrue(m.find(), regex + " in the rendered page:\n" + dom);
        return m.group(1);
    }

    private static int count(String dom, String text) {
        int n = 0;
        for (int at = dom.indexOf(text); at >= 0; at = dom.indexOf(text, at + 1)) {
            n++;
        }
        return n;
    }
}
