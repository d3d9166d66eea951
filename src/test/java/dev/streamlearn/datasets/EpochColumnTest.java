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
        assertArrayEquals(
                new long[] {956_703_932_000L, 1_046_454_590_000L},
                tableTimes("user,rating,timestamp\n1,5,956703932\n2,1,1046454590\n"));
        assertArrayEquals(
                new long[] {956_703_932_000L, 1_046_454_590_000L},
                seriesTimes("timestamp,value\n956703932,1.5\n1046454590,2.5\n"));
    }

    @Test
    void millisecondsDateTimesAndRowCountersAreKept() throws IOException {
        assertArrayEquals(
                new long[] {1_700_000_000_000L, 1_700_000_060_000L},
                tableTimes("user,rating,timestamp\n1,5,1700000000000\n2,1,1700000060000\n"));
        // a date-time among numbers is milliseconds of its year: the column stays in milliseconds
        assertArrayEquals(
                new long[] {999_999_999L, 1_700_000_000_000L},
                tableTimes("user,rating,timestamp\n1,5,999999999\n2,1,2023-11-14T22:13:20Z\n"));
        assertArrayEquals(new long[] {1, 2, 3}, seriesTimes("t,value\n1,1\n2,2\n3,3\n"));
    }

    private long[] tableTimes(String csv) throws IOException {
        TabularEvents.Spec spec = new TabularEvents.Spec();
        spec.labelColumn = "rating";
        spec.timeColumn = "timestamp";
        return TabularEvents.readCsv(write(csv), spec, new SkippedRows()).stream()
                .mapToLong(e -> e.ts)
                .toArray();
    }

    private long[] seriesTimes(String csv) throws IOException {
        String timeColumn = csv.substring(0, csv.indexOf(','));
        return SeriesCsv.read(write(csv), "s", timeColumn, "value", new SkippedRows()).stream()
                .mapToLong(p -> p.ts)
                .toArray();
    }

    private Path write(String csv) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "times", ".csv"), csv);
    }
}
