package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.graph.StreamingJobGraphGenerator;
import org.junit.jupiter.api.Test;

/**
 * The request path sends each request on at once (its option's default), the training path
 * flushes its buffers after the timeout of {@code flink-conf}, and the exchanges nothing served
 * waits on flush after {@link JobTopology#BACKGROUND_BUFFER_TIMEOUT_MILLIS}.
 */
class BufferTimeoutTest {

    @Test
    void requestsGoOnAtOnceAndOnlyTheExchangesNoPredictionWaitsOnFlushLater() {
        Configuration flinkConf = GlobalConfiguration.loadConfiguration("flink-conf");
        long configured = flinkConf.get(ExecutionOptions.BUFFER_TIMEOUT).toMillis();
        assertTrue(configured < JobTopology.BACKGROUND_BUFFER_TIMEOUT_MILLIS, "flink-conf's timeout is the short one");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConf);
        LearningJob.attachToKafka(
                env, JobConfig.fromArgs("--kafka.bootstrap-servers", "127.0.0.1:9092", "--entities", "user"));
        Map<String, Long> timeouts = new HashMap<>();
        for (StreamNode node : env.getStreamGraph().getStreamNodes()) {
            timeouts.put(node.getOperatorName(), node.getBufferTimeout());
        }

        for (String requestPath : List.of(Operators.PARSE_REQUESTS_NAME, Operators.entityName(0))) {
            assertEquals(0L, timeouts.get(requestPath), requestPath);
        }
        for (String trainingPath :
                List.of(Operators.PARSE_LABELED_NAME, Operators.TRAINER_NAME, Operators.INFERENCE_NAME)) {
            assertEquals(configured, timeouts.get(trainingPath), trainingPath);
        }
        for (String background : List.of(
                Operators.PARSE_CONTROL_NAME,
                Operators.REJECTED_COMMANDS_NAME,
                Operators.PARSE_OUTCOMES_NAME,
                Operators.OUTCOME_TIME_NAME,
                Operators.IMPRESSION_TIME_NAME,
                Operators.JOINER_NAME,
                Operators.LABELED_DEAD_LETTERS_NAME,
                Operators.REFUSED_EXAMPLES_NAME,
                Operators.NON_FINITE_SCORES_NAME,
                Operators.MODEL_LOG_ENTRIES_NAME)) {
            assertEquals(JobTopology.BACKGROUND_BUFFER_TIMEOUT_MILLIS, timeouts.get(background), background);
        }
    }

    /**
     * A flusher thread wakes for every exchange with a timeout above 0, at that timeout, in every
     * subtask: only the exchanges that a prediction or a model update crosses have the short one.
     */
    @Test
    void onlyTheTrainingPathAndTheModelUpdatesFlushAfterTheShortTimeout() {
        Configuration flinkConf = GlobalConfiguration.loadConfiguration("flink-conf");
        long configured = flinkConf.get(ExecutionOptions.BUFFER_TIMEOUT).toMillis();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConf);
        LearningJob.attachToKafka(
                env,
                JobConfig.fromArgs(
                        "--kafka.bootstrap-servers",
                        "127.0.0.1:9092",
                        "--models",
                        "ctr,load",
                        "--model.load.loss",
                        "squared",
                        "--series.model",
                        "load",
                        "--entities",
                        "user"));
        StreamGraph graph = env.getStreamGraph();
        Set<String> shortExchanges = new TreeSet<>();
        for (StreamNode node : graph.getStreamNodes()) {
            for (StreamEdge edge : node.getOutEdges()) {
                if (!StreamingJobGraphGenerator.isChainable(edge, graph) && edge.getBufferTimeout() == configured) {
                    shortExchanges.add(node.getOperatorName() + " -> "
                            + graph.getStreamNode(edge.getTargetId()).getOperatorName());
                }
            }
        }
        String labeled = Operators.PARSE_LABELED_NAME;
        String series = Operators.SERIES_WINDOWS_NAME;
        String trainer = Operators.TRAINER_NAME;
        String inference = Operators.INFERENCE_NAME;
        assertEquals(
                Set.of(
                        labeled + " -> " + Operators.entityName(0),
                        Operators.PARSE_SERIES_NAME + " -> " + series,
                        series + " -> " + trainer,
                        series + " -> " + inference,
                        trainer + " -> " + inference),
                shortExchanges);
    }
}
