package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import dev.streamlearn.testing.RotatingHyperplane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two models learn the same drifting stream in one job, one with the automatic challengers and
 * one without: a rotating hyperplane ({@link RotatingHyperplane}) that holds still for 10,000
 * events, then suddenly starts to turn, a full circle every 10,000 events.
 */
@ExtendWith(JobStack.Shared.class)
class ChallengersIT {

    private static final int EVENTS = 40_000;
    private static final int ONSET = 10_000;

    private final JobStack stack;

    ChallengersIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void onceTheWorldStartsToTurnTheForgettingChallengerIsPromotedAndServesBetterThanNoChallengers() throws Exception {
        String topic = "challengers-labeled-one-partition";
        stack.kafka.createTopics(1, topic); // the trainers see the stream's order
        JobConfig config = stack.config(
                "challengers-",
                "--topic.labeled",
                topic,
                "--models",
                "auto,plain",
                "--model.plain.challengers",
                "none",
                "--hash.bits",
                "12");
        try (JobStack.Running running = stack.run("challengers", config)) {
            JobMetrics metrics = running.metrics;
            List<String> auto = RotatingHyperplane.events("auto", EVENTS, ONSET, 10_000, 5);
            List<String> plain = RotatingHyperplane.events("plain", EVENTS, ONSET, 10_000, 5);
            List<String> both = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                both.add(auto.get(i));
                both.add(plain.get(i));
            }
            stack.kafka.send(topic, both);
            Await.until(
                    "both models trained",
                    TIMEOUT,
                    () -> running.model("auto", MetricNames.EXAMPLES_TRAINED) == EVENTS
                            && running.model("plain", MetricNames.EXAMPLES_TRAINED) == EVENTS,
                    () -> "auto " + running.model("auto", MetricNames.EXAMPLES_TRAINED) + ", plain "
                            + running.model("plain", MetricNames.EXAMPLES_TRAINED));

            List<JsonNode> promotions = new ArrayList<>();
            Await.until("the promotion in the model log", TIMEOUT, () -> {
                promotions.clear();
                for (String line : stack.kafka.readAll(
                        config.topic(Topic.MODEL_LOG), Integer.MAX_VALUE, Duration.ofSeconds(1), true)) {
                    JsonNode n = Events.parse(line);
                    if (n.path("event").asText().equals(ModelLogEntry.Event.PROMOTE.toString())) {
                        promotions.add(n);
                    }
                }
                return !promotions.isEmpty();
            });
            JsonNode promotion = promotions.get(promotions.size() - 1);
            long at = promotion.get("examplesTrained").asLong();
            assertEquals("auto", promotion.get("model").asText());
            assertEquals("forget", promotion.get("learner").asText());
            assertTrue(
                    at > ONSET && at <= ONSET + 5_000,
                    "promoted after " + at + " examples: within 5,000 of the onset of the drift");
            String reason = promotion.get("reason").asText();
            assertTrue(reason.startsWith("challenger 'forget' beat 'default'"), reason);
            assertEquals(1, running.model("auto", MetricNames.LEARNER_GROUP + ".forget." + MetricNames.CHAMPION));
            double forgetShare = metrics.sum(MetricNames.ofLearner("auto", "forget", MetricNames.BLEND_WEIGHT));
            assertTrue(forgetShare > 0.5, "the blend served leans on the forgetting learner: " + forgetShare);
            assertEquals(0.0, metrics.sum(MetricNames.ofLearner("auto", "log", MetricNames.BLEND_WEIGHT)), "log");
            assertEquals(0, running.model("plain", MetricNames.PROMOTIONS));

            // the windows of the last 10,000 examples, all in the turning world
            double withChallengers = metrics.sum(MetricNames.ofModel("auto", MetricNames.LOG_LOSS));
            double without = metrics.sum(MetricNames.ofModel("plain", MetricNames.LOG_LOSS));
            assertTrue(
                    withChallengers < without,
                    "served log loss with challengers " + withChallengers + ", without " + without);
            System.out.printf(
                    "IT challengers: promoted to forget after %d examples; served log loss over the last 10,000:"
                            + " %.4f with challengers, %.4f without%n",
                    at, withChallengers, without);
        }
    }
}
