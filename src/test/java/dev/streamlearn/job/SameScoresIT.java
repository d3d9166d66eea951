package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.evaluation.PrequentialRun;
import dev.streamlearn.evaluation.Scores;
import dev.streamlearn.evaluation.Summary;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The job and scripts/evaluate run the same learner: on the same stream in the same order they score it alike. */
@ExtendWith(JobStack.Shared.class)
class SameScoresIT {

    private final JobStack stack;

    SameScoresIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void theJobAndTheEvaluationToolScoreTheSameStreamAlike() throws Exception {
        // one partition: the trainer sees the file's order
        stack.kafka.createTopics(1, "same-labeled-one-partition");
        JobConfig config = stack.config("same-", "--topic.labeled", "same-labeled-one-partition");
        StreamExecutionEnvironment env = stack.env("same");
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("same-scores-it");
        JobMetrics metrics = stack.metrics(job);
        try {
            stack.kafka.send(config.get(JobConfig.TOPIC_LABELED), Events.json(stack.bike));
            Await.until(
                    "all trained",
                    TIMEOUT,
                    () -> metrics.longValue("model." + MODEL + ".examplesTrained") == stack.bike.size());
            ModelSpec spec = config.models().get(MODEL);
            Scores tool = PrequentialRun.learn(
                    spec, PrequentialRun.ofEvents(spec, Events.json(stack.bike), config.inputLimits()));
            double jobTotal = metrics.sum("model." + MODEL + ".logLossTotal");
            double toolTotal = Summary.of(tool).get("logLoss");
            int n = tool.size();
            double jobWindow = metrics.sum("model." + MODEL + ".logLoss");
            double toolWindow = Summary.of(tool, n - spec.metricsWindow, n).get("logLoss");
            assertEquals(toolTotal, jobTotal, 1e-12, "prequential log loss of the whole stream");
            assertEquals(toolWindow, jobWindow, 1e-9, "over the job's metrics window");
            System.out.printf(
                    "IT same scores: job %.6f, evaluate %.6f (whole stream); window %.6f vs %.6f%n",
                    jobTotal, toolTotal, jobWindow, toolWindow);
        } finally {
            job.cancel().get();
        }
    }
}
