package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileSummaryTest {

    private static volatile double sink;

    @Test
    void findsTheMethodThatTookTheTime(@TempDir Path dir) throws Exception {
        Path file = record(dir.resolve("busy.jfr"), () -> {
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < end) {
                spin();
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Tool.run(
                new ProfileSummary(),
                new String[] {"--file", file.toString(), "--threads", "main|Test worker", "--focus", "dev.streamlearn."
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        Matcher self = Pattern.compile("\\| dev\\.streamlearn\\.tools\\.ProfileSummaryTest\\.spin \\| ([0-9.]+) %")
                .matcher(table);
        assertTrue(self.find(), table);
        assertTrue(Double.parseDouble(self.group(1)) > 50, "spin() took most of the samples:\n" + table);
        assertTrue(
                table.contains("| dev.streamlearn.tools.ProfileSummaryTest.findsTheMethodThatTookTheTime | 100.0 %"),
                table);
    }

    @Test
    void saysSoWhenThereAreNoSamples(@TempDir Path dir) throws Exception {
        Path file = record(dir.resolve("empty.jfr"), () -> {});
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Tool.run(
                new ProfileSummary(),
                new String[] {"--file", file.toString(), "--threads", "no such thread"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, exit);
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("no CPU samples"), err.toString(StandardCharsets.UTF_8));
    }

    /** CPU samples every 10 ms while the work runs, written to the file. */
    private static Path record(Path file, Runnable work) throws Exception {
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            work.run();
            recording.stop();
            recording.dump(file);
        }
        return file;
    }

    private static void spin() {
        double x = sink;
        for (int i = 0; i < 100_000; i++) {
            x = x * 1.0000001 + 1e-9;
        }
        sink = x;
    }
}
