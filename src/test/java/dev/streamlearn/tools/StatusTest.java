package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFullStatusWaitsForARefreshOfTheRestMetrics() throws Exception {
        long refresh = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("flink-conf/config.yaml").toFile())
                .path("metrics.fetcher.update-interval")
                .asLong(-1);
        assertTrue(refresh > 0, "flink-conf/config.yaml sets metrics.fetcher.update-interval in ms");
        assertTrue(
                Status.METRICS_REFRESH_MILLIS > refresh,
                "Status waits " + Status.METRICS_REFRESH_MILLIS + " ms for a refresh that comes every " + refresh
                        + " ms");
    }

    @Test
    void progressLinesKeepAFixedBeatAndSkipTheBeatsALongLineMissed() {
        long second = 1_000;
        assertEquals(1_000, Status.nextBeat(0, 300, second), "a quick line: the next one a period after its beat");
        assertEquals(1_000, Status.nextBeat(0, 0, second));
        assertEquals(2_000, Status.nextBeat(0, 1_300, second), "a line that took 1.3 s: the beat at 2 s, not now");
        assertEquals(4_000, Status.nextBeat(1_000, 3_999, second));
        assertEquals(5_000, Status.nextBeat(1_000, 4_000, second));
    }

    @Test
    void aFailedCheckpointIsToldByFlinksStatedReasonInAFewWords() throws Exception {
        String startup =
                "{\"id\":1,\"failure_message\":\"Checkpoint triggering task Join outcomes to impressions (1/2) of job"
                        + " 2195 is not being executed at the moment. Aborting checkpoint. Failure reason: Not all required"
                        + " tasks are currently running.\"}";
        assertEquals("Not all required tasks are currently running.", Status.failureReason(JSON.readTree(startup)));
        String long120 = "x".repeat(200);
        assertEquals(
                120,
                Status.failureReason(JSON.readTree("{\"failure_message\":\"" + long120 + "\"}"))
                        .length());
        assertEquals("unknown", Status.failureReason(JSON.readTree("{}")));
    }
}
