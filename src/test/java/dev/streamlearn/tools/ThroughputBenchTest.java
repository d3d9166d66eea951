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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputBenchTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void readsAThreadsNameAndCpuFromProcWhateverTheNameHolds() {
        String stat = "4242 (Trainer (mini-b) S 4200 4200 1 0 -1 1077936192 52 0 0 0 731 42 0 0 20 0 90 0 1234";
        assertEquals("Trainer (mini-b", ThreadCpu.name(stat));
        assertEquals(773, ThreadCpu.ticks(stat), "user 731 + system 42");
        assertEquals("GC Thread", ThreadCpu.group("GC Thread#1"));
        assertEquals(
                "kafka-producer-network-thread | producer",
                ThreadCpu.group("kafka-producer-network-thread | producer-12"));
        assertEquals("C2 CompilerThre", ThreadCpu.group("C2 CompilerThre"));
        assertEquals(
                6184981 + 1557008 + 129536,
                ThreadCpu.busyTicks("cpu  6184981 0 1557008 3770457 19214 0 129536 0 0 0"),
                "all but idle (3770457) and I/O wait (19214)");
        assertThrows(IllegalArgumentException.class, () -> ThreadCpu.busyTicks("cpu0 1 2 3 4 5"));
    }

    @Test
    void cpuPerEventNamesTheGroupsThatTookMostAndSumsTheRest() {
        ThreadCpu.Reading from = new ThreadCpu.Reading(
                Map.of(
                        "taskmanager",
                        Map.of(
                                "Trainer (mini-b", 100L,
                                "Source: Kafka:", 50L,
                                "GC Thread", 10L,
                                "C2 CompilerThre", 70L)), // ends before the next reading
                Map.of("taskmanager", 1_000L),
                1_000);
        ThreadCpu.Reading to = new ThreadCpu.Reading(
                Map.of(
                        "taskmanager",
                        Map.of(
                                "Trainer (mini-b", 300L, // +200
                                "Source: Kafka:", 350L, // +300
                                "GC Thread", 12L, // +2: under 5 % of all 572
                                "OutputFlusher f", 40L)), // new since: +40
                // the process: the four groups' 542, and 30 of the compiler thread's before it ended
                Map.of("taskmanager", 1_572L),
                1_800);
        // 100 ticks a second, 200,000 events: a tick is 10 ms, 0.05 us per event
        Map<String, Double> perEvent = BenchMeasure.cpuPerEvent(from, to, 200_000, 100);
        assertEquals(
                List.of(
                        "machine, all processes",
                        "taskmanager, all threads",
                        "taskmanager, Source: Kafka:",
                        "taskmanager, Trainer (mini-b",
                        "taskmanager, OutputFlusher f",
                        "taskmanager, other threads"),
                List.copyOf(perEvent.keySet()));
        assertEquals(40.0, perEvent.get("machine, all processes"), 1e-9);
        assertEquals(28.6, perEvent.get("taskmanager, all threads"), 1e-9);
        assertEquals(15.0, perEvent.get("taskmanager, Source: Kafka:"), 1e-9);
        assertEquals(10.0, perEvent.get("taskmanager, Trainer (mini-b"), 1e-9);
        assertEquals(2.0, perEvent.get("taskmanager, OutputFlusher f"), 1e-9);
        assertEquals(1.6, perEvent.get("taskmanager, other threads"), 1e-9, "GC's 2 and the ended thread's 30 ticks");
    }

    @Test
    void rateIsTakenBetweenTheFirstAndLastChangeSeen() {
        BenchRate rate = new BenchRate(0);
        rate.sample(1 * SECOND, 0); // nothing done yet
        rate.sample(2 * SECOND, 500); // first change: work had started before it
        rate.sample(3 * SECOND, 500); // the metric did not move: not a sample
        rate.sample(4 * SECOND, 2500);
        rate.sample(6 * SECOND, 6500);
        assertEquals(1500.0, rate.perSecond(), 1e-9); // (6500 - 500) / (6 - 2)
    }

    @Test
    void theSecondHalfsRateStartsAtTheFirstChangeSeenPastItsStartValue() {
        BenchRate secondHalf = new BenchRate(0, 5000);
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
        BenchRate rate = new BenchRate(1 * SECOND);
        rate.sample(2 * SECOND, 0);
        rate.sample(5 * SECOND, 3000);
        assertEquals(750.0, rate.perSecond(), 1e-9); // 3000 / (5 - 1)
        assertThrows(IllegalStateException.class, () -> new BenchRate(0).perSecond());
        assertEquals(0.0, new BenchRate(0).perSecondOrZero());
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
