package dev.streamlearn.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataset's numeric time column in seconds is read as seconds, the whole column at once. */
class EpochColumnTest {

    @TempDir
    Path dir;

    @Test
    void movieLensSecondsStraddlingTenToTheNineAreSecondsThroughout() throws IOException {
        // MovieLens 1M: 2000-04-25 (below 10^9) to 2003-02-28 (above): one unit for both
        assertBothRead(new long[] {956_703_932_000L, 1_046_454_590_000L}, "956703932", "1046454590");
    }

    @Test
    void millisecondsDateTimesAndRowCountersAreKept() throws IOException {
        assertBothRead(new long[] {1_700_000_000_000L, 1_700_000_060_000L}, "1700000000000", "1700000060000");
        // a date-time among numbers is milliseconds of its year: the column stays in milliseconds
        assertBothRead(new long[] {999_999_999L, 1_700_000_000_000L}, "999999999", "2023-11-14T22:13:20Z");
        assertBothRead(new long[] {1, 2}, "1", "2");
    }

    /** The times as the table reader and the series reader read them from a column {@code timestamp}. */
    private void assertBothRead(long[] expected, String... times) throws IOException {
        StringBuilder csv = new StringBuilder("rating,timestamp\n");
        for (int i = 0; i < times.length; i++) {
            csv.append(i % 2).append(',').append(times[i]).append('\n');
        }
        Path file = Files.writeString(Files.createTempFile(dir, "times", ".csv"), csv);
        TabularEvents.Spec spec = new TabularEvents.Spec();
        spec.labelColumn = "rating";
        spec.timeColumn = "timestamp";
        assertArrayEquals(
                expected,
                TabularEvents.readCsv(file, spec, new SkippedRows()).stream()
                        .mapToLong(e -> e.ts)
                        .toArray(),
                "table");
        assertArrayEquals(
                expected,
                SeriesCsv.read(file, "s", "timestamp", "rating", new SkippedRows()).stream()
                        .mapToLong(p -> p.ts)
                        .toArray(),
                "series");
    }
}
