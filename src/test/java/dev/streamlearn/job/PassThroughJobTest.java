package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The pass-through's requests cross no exchange, unless asked to cross one as the learning job's do. */
class PassThroughJobTest {

    private static List<String> tasks(String input) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PassThroughJob.attach(env, input, JobConfig.fromArgs("--kafka.bootstrap-servers", "127.0.0.1:9092"));
        JobGraph graph = env.getStreamGraph().getJobGraph();
        List<String> names = new ArrayList<>();
        for (JobVertex v : graph.getVerticesSortedTopologicallyFromSources()) {
            names.add(v.getName());
        }
        return names;
    }

    @Test
    void requestsAreReadParsedAndWrittenInOneTask() {
        assertEquals(1, tasks("requests").size(), tasks("requests").toString());
        assertEquals(1, tasks("labeled").size(), tasks("labeled").toString());
    }

    @Test
    void acrossAnExchangeTheWriterIsATaskOfItsOwn() {
        List<String> tasks = tasks(PassThroughJob.REQUESTS_ACROSS_EXCHANGE);
        assertEquals(2, tasks.size(), tasks.toString());
        assertEquals(true, tasks.get(0).contains(Operators.PARSE_REQUESTS_NAME), tasks.toString());
        assertEquals(true, tasks.get(1).startsWith(Operators.PASSED_ACROSS_EXCHANGE_NAME), tasks.toString());
        assertEquals(true, tasks.get(1).contains(Operators.PASSED_SINK_NAME), tasks.toString());
    }
}
