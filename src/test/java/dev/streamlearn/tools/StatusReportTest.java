package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.metrics.MetricNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusReportTest {

    @Test
    void namesTheClustersTaskManagersAndTheirSlots() throws Exception {
        assertEquals(
                "TaskManagers: 3, slots 12 (10 free)",
                StatusReport.taskManagers(new ObjectMapper()
                        .readTree(
                                "{\"taskmanagers\":3,\"slots-total\":12,\"slots-available\":10,\"jobs-running\":1}")));
    }

    @Test
    void namesTheReasonsOfTheDeadLettersThatThereAre() {
        assertEquals(
                "2 bad-label, 1 unknown-model",
                StatusReport.deadLetterReasons(Map.of(
                        MetricNames.deadLetters("unknown-model"), 1.0,
                        MetricNames.deadLetters("bad-label"), 2.0,
                        MetricNames.deadLetters("not-json"), 0.0,
                        MetricNames.ofModel("ctr", MetricNames.EXAMPLES_TRAINED), 5.0)));
        assertEquals("", StatusReport.deadLetterReasons(Map.of(MetricNames.deadLetters("bad-label"), 0.0)));
    }
}
