package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.streamlearn.metrics.MetricNames;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFullStatusReadsMetricsAtMostAFetchIntervalOld() throws Exception {
        long interval = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("flink-conf/config.yaml").toFile())
                .path("metrics.fetcher.update-interval")
                .asLong(-1);
        assertTrue(
                interval > 0 && interval <= 1000,
                "flink-conf/config.yaml sets metrics.fetcher.update-interval to at most a second: " + interval);
        assertTrue(ClusterMetrics.FETCH_LANDS_MILLIS < interval, "the wait for a fetch is shorter than its interval");
    }

    @Test
    void progressLinesKeepAFixedBeatAndSkipTheBeatsALongLineMissed() {
        long second = 1_000;
        long anchor = 10_500; // half a second after a submission at 10 s
        assertEquals(11_500, Status.nextBeat(anchor, 10_800, second), "a quick line: the next beat");
        assertEquals(11_500, Status.nextBeat(anchor, 10_500, second));
        assertEquals(12_500, Status.nextBeat(anchor, 11_800, second), "a line that took 1.3 s: the beat at 12.5 s");
        assertEquals(15_500, Status.nextBeat(anchor, 14_700, second));
        assertEquals(9_500, Status.nextBeat(anchor, 9_000, second), "the beat runs through the anchor both ways");
    }

    @Test
    void aFailedCheckpointIsToldByFlinksStatedReasonInAFewWords() throws Exception {
        String startup =
                "{\"id\":1,\"failure_message\":\"Checkpoint triggering task Join outcomes to impressions (1/2) of job"
                        + " 2195 is not being executed at the moment. Aborting checkpoint. Failure reason: Not all required"
                        + " tasks are currently running.\"}";
        assertEquals(
                "Not all required tasks are currently running.", StatusReport.failureReason(JSON.readTree(startup)));
        String long120 = "x".repeat(200);
        assertEquals(
                120,
                StatusReport.failureReason(JSON.readTree("{\"failure_message\":\"" + long120 + "\"}"))
                        .length());
        assertEquals("unknown", StatusReport.failureReason(JSON.readTree("{}")));
    }

    @Test
    void theGuardOfAModelInOneLine() {
        assertEquals(
                "ctr guard: no alarm; learning",
                StatusReport.guard("ctr", java.util.Map.of(MetricNames.ofModel("ctr", MetricNames.GUARD_ALARMS), 0.0)));
        assertEquals(
                "ctr guard: 2 alarms; the last at 2026-12-06T10:00:00Z, loss 2.05x the reference, action rollback"
                        + " (the episode goes on); learning is FROZEN (scripts/control resume ctr)",
                StatusReport.guard(
                        "ctr",
                        java.util.Map.of(
                                MetricNames.ofModel("ctr", MetricNames.GUARD_ALARMS), 2.0,
                                MetricNames.ofModel("ctr", MetricNames.GUARD_LAST_ALARM_AT), 1_796_551_200_400.0,
                                MetricNames.ofModel("ctr", MetricNames.GUARD_LAST_ALARM_RATIO), 2.049,
                                MetricNames.ofModel("ctr", MetricNames.GUARD_LAST_ACTION), 3.0,
                                MetricNames.ofModel("ctr", MetricNames.GUARD_EPISODE), 1.0,
                                MetricNames.ofModel("ctr", MetricNames.FROZEN), 1.0)));
    }
}
