package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.datasets.DatasetEvent;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RejectionsTest {

    private static List<DatasetEvent> events(String model, String... lines) {
        return Stream.of(lines).map(l -> DatasetEvent.fromJson(l, model)).toList();
    }

    @Test
    void theEventsTheJobRejectsAreCountedByReason() {
        List<DatasetEvent> events = events(
                "bike",
                "{\"label\":1,\"features\":{\"hour\":\"8\"}}",
                "{\"features\":{\"hour\":\"9\"}}",
                "not json",
                "{\"label\":1,\"features\":{\"temp\":1e300}}",
                "{\"label\":0,\"features\":{\"hour\":\"10\"}}");
        assertEquals(Map.of("missing-field", 1, "not-json", 1, "out-of-range", 1), Rejections.of(events, "t"));
    }

    @Test
    void whatDependsOnTheRunningJobIsLeftToIt() {
        // a count label is valid for a squared-loss model, which replay cannot know the job has
        assertEquals(Map.of(), Rejections.of(events("bike", "{\"label\":17,\"features\":{}}"), "t"));
        assertEquals(Map.of(), Rejections.of(events(null, "{\"model\":\"no such\",\"label\":1,\"features\":{}}"), "t"));
    }
}
