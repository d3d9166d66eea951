package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputBenchTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void rateIsTakenBetweenTheFirstAndLastChangeSeen() {
        ThroughputBench.Rate rate = new ThroughputBench.Rate(0);
        rate.sample(1 * SECOND, 0); // nothing done yet
        rate.sample(2 * SECOND, 500); // first change: work had started before it
        rate.sample(3 * SECOND, 500); // the metric did not move: not a sample
        rate.sample(4 * SECOND, 2500);
        rate.sample(6 * SECOND, 6500);
        assertEquals(1500.0, rate.perSecond(), 1e-9); // (6500 - 500) / (6 - 2)
    }

    @Test
    void theSecondHalfsRateStartsAtTheFirstChangeSeenPastItsStartValue() {
        ThroughputBench.Rate secondHalf = new ThroughputBench.Rate(0, 5000);
        secondHalf.sample(2 * SECOND, 500);
        secondHalf.sample(4 * SECOND, 4000); // still in the first half
        assertFalse(secondHalf.timed());
        secondHalf.sample(5 * SECOND, 6000);
        assertFalse(secondHalf.timed()); // one sample: no time between two
        secondHalf.sample(6 * SECOND, 7000);
        secondHalf.sample(7 * SECOND, 10000);
        assertTrue(secondHalf.timed());
        assertEquals(2000.0, secondHalf.perSecond(), 1e-9); // (10000 - 6000) / (7 - 5)
    }

    @Test
    void aRunWithinOneFetchIntervalIsTimedFromTheFirstPoll() {
        ThroughputBench.Rate rate = new ThroughputBench.Rate(1 * SECOND);
        rate.sample(2 * SECOND, 0);
        rate.sample(5 * SECOND, 3000);
        assertEquals(750.0, rate.perSecond(), 1e-9); // 3000 / (5 - 1)
        assertThrows(IllegalStateException.class, () -> new ThroughputBench.Rate(0).perSecond());
        assertEquals(0.0, new ThroughputBench.Rate(0).perSecondOrZero());
        assertEquals(750.0, rate.perSecondOrZero(), 1e-9);
    }

    @Test
    void reportGivesMinMedianMaxAndRatiosWithinEachRun(@TempDir Path dir) throws Exception {
        String table = report(
                dir,
                "learn/pass",
                "1\t1\tpass (events/s)\t100",
                "1\t1\tlearn (events/s)\t90",
                "2\t1\tpass (events/s)\t200",
                "2\t1\tlearn (events/s)\t100",
                "3\t1\tpass (events/s)\t150",
                "3\t1\tlearn (events/s)\t120");
        assertTrue(table.contains("| pass (events/s) | 1 | 3 | 100 | 150 | 200 |"), table);
        assertTrue(table.contains("| learn (events/s) | 1 | 3 | 90 | 100 | 120 |"), table);
        // per run 0.90, 0.50, 0.80: not the ratio of the medians (100 / 150)
        assertTrue(table.contains("| ratio learn / pass | 1 | 3 | 0.50 | 0.80 | 0.90 |"), table);
    }

    @Test
    void ratiosAreTakenOfMeasuresInAnyUnit(@TempDir Path dir) throws Exception {
        String table = report(
                dir,
                "learning, first events/pass-through, first events",
                "1\t2\tpass-through, first events (s)\t10.0",
                "1\t2\tlearning, first events (s)\t15.0",
                "2\t2\tpass-through, first events (s)\t12.0",
                "2\t2\tlearning, first events (s)\t12.0");
        assertTrue(table.contains("| learning, first events (s) | 2 | 2 | 12.0 | 13.5 | 15.0 |"), table);
        assertTrue(
                table.contains(
                        "| ratio learning, first events / pass-through, first events | 2 | 2 | 1.00 | 1.25 | 1.50 |"),
                table);
    }

    /** The report step's table of the rows, with one ratio. */
    private static String report(Path dir, String ratio, String... rows) throws Exception {
        Path results = dir.resolve("results.tsv");
        Files.write(results, List.of(rows));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Tool.run(
                new ThroughputBench(),
                new String[] {"report", "--results", results.toString(), "--ratio", ratio},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
