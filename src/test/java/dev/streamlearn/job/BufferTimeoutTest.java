package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
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
                Operators.JOINER_NAME)) {
            assertEquals(JobTopology.BACKGROUND_BUFFER_TIMEOUT_MILLIS, timeouts.get(background), background);
        }
    }
}
