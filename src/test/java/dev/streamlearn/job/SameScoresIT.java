package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.evaluation.PrequentialRun;
import dev.streamlearn.evaluation.Scores;
import dev.streamlearn.evaluation.Summary;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import dev.streamlearn.tools.Explain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job and scripts/evaluate run the same learners: on the same stream in the same order they
 * score it alike, each challenger too, and promote alike.
 */
@ExtendWith(JobStack.Shared.class)
class SameScoresIT {

    private final JobStack stack;

    SameScoresIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void theJobAndTheEvaluationToolScoreTheSameStreamAlike() throws Exception {
        sameScores("same-", 2);
    }

    /** A challenger that wins often, on a rule made loose for it: the promotions are the tool's, one for one. */
    @Test
    void theJobAndTheEvaluationToolPromoteAlike() throws Exception {
        int promotions = sameScores(
                "same-promotions-",
                2,
                "--challengers",
                "fast:forget.half-life=30",
                "--promotion.window",
                "400",
                "--promotion.margin",
                "0.01",
                "--promotion.std-errors",
                "2");
        assertTrue(promotions >= 1, "a promotion to compare: " + promotions);
    }

    /**
     * With entity features (the bike hour as the entity): the job's keyed entity operator and the
     * tool's map add the same features. At parallelism 1, so the trainer sees the file's order.
     */
    @Test
    void theJobAndTheEvaluationToolAddTheSameEntityFeatures() throws Exception {
        sameScores("same-entities-", 1, "--entities", "hour,weekday", "--entities.half-lives", "1d,7d");
    }

    /**
     * With crosses (and so the automatic challenger nocross): the job's parsers cross labeled
     * events and requests as the tool's parser does, and what the trainer learnt of a cross is
     * what inference finds for it.
     */
    @Test
    void theJobAndTheEvaluationToolCrossAlikeAndInferenceFindsWhatTheTrainerLearnt() throws Exception {
        sameScores("same-crosses-", 2, "--crosses", "hour*weekday,hour*weather");
    }

    /** A request with "explain":true: each cross of its features is named and, learnt, adds to its score. */
    private void explainsARequestWithItsCrosses(JobConfig config) throws Exception {
        JsonNode features =
                Events.parse(stack.bike.get(stack.bike.size() - 1).json).get("features");
        JsonNode explanation = explained(config, "explain-crosses").get("explanation");
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode f : explanation.get("features")) {
            byName.put(f.get("name").asText(), f);
        }
        String cross = "hour=" + features.get("hour").asText() + "^weekday="
                + features.get("weekday").asText();
        assertTrue(byName.containsKey(cross), cross + " in " + byName.keySet());
        assertNotEquals(0.0, byName.get(cross).get("contribution").asDouble(), "the trainer's weight of " + cross);
        assertTrue(
                byName.containsKey("hour=" + features.get("hour").asText() + "^weather="
                        + features.get("weather").asText()),
                byName.keySet().toString());
    }

    /** The prediction of the stream's last event sent as a request with "explain":true. */
    private JsonNode explained(JobConfig config, String id) throws Exception {
        ObjectNode request =
                (ObjectNode) Events.parse(stack.bike.get(stack.bike.size() - 1).asRequest(id));
        request.put("explain", true);
        stack.kafka.send(config.topic(Topic.REQUESTS), List.of(request.toString()));
        JsonNode prediction = stack.readPredictions(config, 1).get(0);
        JsonNode explanation = prediction.get("explanation");
        double margin = explanation.get("margin").asDouble();
        assertEquals(
                1 / (1 + Math.exp(-margin)), prediction.get("score").asDouble(), 1e-9, "the margin is the score's");
        double sum = explanation.get("bias").asDouble();
        for (JsonNode f : explanation.get("features")) {
            sum += f.get("contribution").asDouble();
        }
        assertEquals(margin, sum, 1e-9, "bias plus every contribution");
        return prediction;
    }

    /** A request with "explain":true: its prediction says what each feature, entity features too, added. */
    private void explainsARequestWithItsEntityFeatures(JobConfig config) throws Exception {
        JsonNode request = Events.parse(stack.bike.get(stack.bike.size() - 1).json);
        JsonNode explanation = explained(config, "explain-me").get("explanation");
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode f : explanation.get("features")) {
            byName.put(f.get("name").asText(), f);
        }
        // the hour was seen all year: its decayed count is far from a new entity's 0
        assertTrue(
                byName.get("hour.events_7d").get("raw").asDouble() > 1,
                byName.keySet().toString());
        assertTrue(byName.containsKey("weekday.rate_1d"), byName.keySet().toString());
        assertTrue(
                byName.containsKey("hour=" + request.get("features").get("hour").asText()));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Explain.run(
                new String[] {
                    "explain-me",
                    "--bootstrap",
                    stack.kafka.bootstrapServers(),
                    "--topic",
                    config.topic(Topic.PREDICTIONS)
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed);
        assertTrue(printed.contains("request explain-me: model bike") && printed.contains("hour.events_7d"), printed);
    }

    /** Returns the promotions the job made (as many as the tool's). */
    private int sameScores(String prefix, int parallelism, String... options) throws Exception {
        // one partition: the trainer sees the file's order
        String topic = prefix + "labeled-one-partition";
        stack.kafka.createTopics(1, topic);
        String[] args = new String[options.length + 2];
        args[0] = "--topic.labeled";
        args[1] = topic;
        System.arraycopy(options, 0, args, 2, options.length);
        JobConfig config = stack.config(prefix, args);
        try (JobStack.Running running = stack.run(prefix + "job", config, parallelism)) {
            JobMetrics metrics = running.metrics;
            stack.kafka.send(config.topic(Topic.LABELED), Events.json(stack.bike));
            Await.until(
                    "all trained",
                    TIMEOUT,
                    () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED))
                            == stack.bike.size());
            ModelSpec spec = config.models().get(MODEL);
            Scores tool = PrequentialRun.learn(
                    spec, PrequentialRun.ofEvents(spec, Events.json(stack.bike), config.inputLimits()));
            double jobTotal = metrics.sum(MetricNames.ofModel(MODEL, MetricNames.LOG_LOSS_TOTAL));
            double toolTotal = Summary.of(tool).get(MetricNames.LOG_LOSS);
            int n = tool.size();
            double jobWindow = metrics.sum(MetricNames.ofModel(MODEL, MetricNames.LOG_LOSS));
            double toolWindow = Summary.of(tool, n - spec.get(ModelOptions.METRICS_WINDOW), n)
                    .get(MetricNames.LOG_LOSS);
            assertEquals(toolTotal, jobTotal, 1e-12, "prequential log loss of the whole stream");
            assertEquals(toolWindow, jobWindow, 1e-9, "over the job's metrics window");
            assertTrue(
                    tool.learners().size() >= 2,
                    "challengers on: " + tool.learners().keySet());
            for (Map.Entry<String, Scores> learner : tool.learners().entrySet()) {
                double jobLearner = metrics.sum(MetricNames.ofLearner(MODEL, learner.getKey(), MetricNames.LOG_LOSS));
                double toolLearner = Summary.of(learner.getValue(), n - spec.get(ModelOptions.METRICS_WINDOW), n)
                        .get(MetricNames.LOG_LOSS);
                assertEquals(toolLearner, jobLearner, 1e-9, "learner " + learner.getKey() + " over the window");
            }
            long jobPromotions = metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.PROMOTIONS));
            assertEquals(tool.promotions().size(), jobPromotions, "promotions");
            if (!spec.get(ModelOptions.ENTITIES).isEmpty()) {
                ModelSpec without = spec.toBuilder()
                        .set(ModelOptions.ENTITIES, List.of())
                        .set(ModelOptions.ENTITY_HALF_LIVES, spec.get(ModelOptions.ENTITY_HALF_LIVES))
                        .set(ModelOptions.ENTITY_PRIOR_STRENGTH, 1.0)
                        .build();
                double plain = Summary.of(PrequentialRun.learn(
                                without,
                                PrequentialRun.ofEvents(without, Events.json(stack.bike), config.inputLimits())))
                        .get(MetricNames.LOG_LOSS);
                assertNotEquals(plain, jobTotal, 1e-6, "the entity features were added");
            }
            if (!spec.get(ModelOptions.ENTITIES).isEmpty()) {
                explainsARequestWithItsEntityFeatures(config);
            }
            if (spec.hasCrosses()) {
                assertTrue(
                        tool.learners().containsKey("nocross"),
                        tool.learners().keySet().toString());
                explainsARequestWithItsCrosses(config);
            }
            System.out.printf(
                    "IT same scores %s: job %.6f, evaluate %.6f (whole stream); window %.6f vs %.6f; %d promotions%n",
                    String.join(" ", options), jobTotal, toolTotal, jobWindow, toolWindow, jobPromotions);
            return (int) jobPromotions;
        }
    }
}
