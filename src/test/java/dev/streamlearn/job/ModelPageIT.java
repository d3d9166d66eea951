package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.gateway.Gateway;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.HeadlessChromium;
import dev.streamlearn.testing.JobMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's model page in a real browser: a job learns, is frozen by command, and headless
 * Chromium renders the page, whose figures, curve, model log and leaderboard are those of the job.
 */
@ExtendWith(JobStack.Shared.class)
class ModelPageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECTION = Pattern.compile("<section class=\"model\" data-model=\"([^\"]+)\">");

    private final JobStack stack;
    private final HttpClient http = HttpClient.newHttpClient();

    ModelPageIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void theModelPageShowsEachModelLearningInABrowser() throws Exception {
        JobConfig config = stack.config("page-", "--store.interval", "0");
        String frozen = MetricNames.ofModel(MODEL, MetricNames.FROZEN);
        try (JobStack.Running running = stack.run("page", config);
                Gateway gateway = new Gateway(
                        GatewayIT.settings(stack, config, config.topic(Topic.REQUESTS), 5_000, 100),
                        GatewayIT.status(stack))) {
            JobMetrics metrics = running.metrics;
            String trained = MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED);
            // in three parts, so that the curve the gateway samples each second has points apart
            for (int part = 0; part < 3; part++) {
                int through = 1000 * (part + 1);
                stack.kafka.send(config.topic(Topic.LABELED), Events.json(stack.bike.subList(through - 1000, through)));
                Await.until("trained through " + through, TIMEOUT, () -> metrics.longValue(trained) == through);
                String base = "http://127.0.0.1:" + gateway.port();
                int samples = part + 1;
                Await.until(
                        "the page's curve has " + through,
                        TIMEOUT,
                        () -> figure(base, "examplesTrained") == through
                                && model(base).get("history").get("millis").size() >= samples);
            }
            // frozen, the model's figures stand still while the browser reads them
            stack.kafka.send(config.topic(Topic.CONTROL), List.of("{\"op\":\"freeze\",\"model\":\"" + MODEL + "\"}"));
            Await.until("frozen", TIMEOUT, () -> metrics.longValue(frozen) == 1);
            String base = "http://127.0.0.1:" + gateway.port();
            Await.until(
                    "the page's data has the freeze",
                    TIMEOUT,
                    () -> figure(base, "frozen") == 1 && model(base).get("last").has("freeze"));
            long version = metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION));
            JsonNode data = model(base);
            int learners = data.get("learners").size();
            assertTrue(learners >= 2, "the default challengers learn beside the champion: " + data.get("learners"));

            String dom = HeadlessChromium.renderedDom(base + "/", Duration.ofSeconds(5));

            Matcher section = SECTION.matcher(dom);
            List<String> models = new ArrayList<>();
            while (section.find()) {
                models.add(section.group(1));
            }
            assertEquals(List.of(MODEL), models, "one section per model");
            assertEquals(Long.toString(version), value(dom, "version"), "the rendered version is the job's");
            assertEquals("3000", value(dom, "examples"));
            assertEquals("yes", value(dom, "frozen"));
            assertEquals(
                    String.format(
                            Locale.ROOT,
                            "%.4f",
                            data.get("figures").get("logLoss").asDouble()),
                    value(dom, "loss"),
                    "the windowed log loss of the trainer");
            int points = Integer.parseInt(find(dom, "<svg[^>]*data-series=\"logLoss\".*?data-points=\"(\\d+)\""));
            assertTrue(points >= 3, "a curve of the three parts at least: " + points + " points");
            assertTrue(
                    dom.contains("<li class=\"event freeze\" data-event=\"freeze\">"), "the freeze in the model log");
            assertTrue(dom.contains("class=\"last freeze\""), "the last freeze beside the figures");
            assertEquals(learners, count(dom, "<tr class=\"learner"), "a leaderboard row per learner");
            assertEquals(1, count(dom, "<tr class=\"learner champion\""), "one champion");
            assertTrue(dom.contains("scripts/control rollback " + MODEL + " previous-better"), "the rollback command");
            assertTrue(dom.contains("The job runs."), "the job's state");
            System.out.printf(
                    "IT model page: v%d, %d curve points, %d learners, rendered by headless Chromium%n",
                    version, points, learners);
        }
    }

    private JsonNode model(String base) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body()).get("models").get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private double figure(String base, String name) {
        return model(base).get("figures").path(name).asDouble(-1);
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
