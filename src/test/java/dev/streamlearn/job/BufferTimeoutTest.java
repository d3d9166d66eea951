package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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

    private static final Configuration FLINK_CONF = GlobalConfiguration.loadConfiguration("flink-conf");
    /** flink-conf's buffer timeout, the short one of the training path. */
    private static final long CONFIGURED =
            FLINK_CONF.get(ExecutionOptions.BUFFER_TIMEOUT).toMillis();

    /** The learning job's stream graph with these job options (and a bootstrap server), under flink-conf. */
    private static StreamGraph jobGraph(String... options) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FLINK_CONF);
        List<String> args = new ArrayList<>(List.of("--kafka.bootstrap-servers", "127.0.0.1:9092"));
        args.addAll(List.of(options));
        LearningJob.attachToKafka(env, JobConfig.fromArgs(args.toArray(String[]::new)));
        return env.getStreamGraph();
    }

    @Test
    void requestsGoOnAtOnceAndOnlyTheExchangesNoPredictionWaitsOnFlushLater() {
        assertTrue(CONFIGURED < JobTopology.BACKGROUND_BUFFER_TIMEOUT_MILLIS, "flink-conf's timeout is the short one");
        Map<String, Long> timeouts = new HashMap<>();
        for (StreamNode node : jobGraph("--entities", "user").getStreamNodes()) {
            timeouts.put(node.getOperatorName(), node.getBufferTimeout());
        }

        for (String requestPath : List.of(Operators.PARSE_REQUESTS_NAME, Operators.entityName(0))) {
            assertEquals(0L, timeouts.get(requestPath), requestPath);
        }
        for (String trainingPath :
                List.of(Operators.PARSE_LABELED_NAME, Operators.TRAINER_NAME, Operators.INFERENCE_NAME)) {
            assertEquals(CONFIGURED, timeouts.get(trainingPath), trainingPath);
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
        StreamGraph graph = jobGraph(
                "--models", "ctr,load", "--model.load.loss", "squared", "--series.model", "load", "--entities", "user");
        Set<String> shortExchanges = new TreeSet<>();
        for (StreamNode node : graph.getStreamNodes()) {
            for (StreamEdge edge : node.getOutEdges()) {
                if (!StreamingJobGraphGenerator.isChainable(edge, graph) && edge.getBufferTimeout() == CONFIGURED) {
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
