package dev.streamlearn.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.streamlearn.records.SeriesPoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV files as spreadsheets and pandas write them, read as the same events as plain ones. */
class TableFilesTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static List<DatasetEvent> events(Path file) {
        TabularEvents.Spec spec = new TabularEvents.Spec();
        spec.labelColumn = "clicked";
        spec.idColumn = "id";
        return TabularEvents.readCsv(file, spec, new SkippedRows());
    }

    @Test
    void aSpreadsheetExportWithQuotedCellsReadsAsThePlainFile() throws Exception {
        Path plain = write(
                "plain.csv",
                """
                id,clicked,site,user name,price
                e1,1,a.com,Doe J,2.5
                e2,0,b.com,say hi,3
                e3,0,c.org,line one line two,4
                """);
        // Excel's "CSV UTF-8": a byte order mark, CRLF, a quoted header; cells with a comma, a quote, a line break
        Path exported = write(
                "exported.csv",
                """
                \uFEFFid,clicked,site,"user name",price\r
                e1,1,a.com,"Doe, J",2.5\r
                e2,0,b.com,"say ""hi""\","3"\r
                \r
                e3,0,c.org,"line one\r
                line two",4\r
                """);

        List<DatasetEvent> expected = events(plain);
        List<DatasetEvent> read = events(exported);

        assertEquals(3, read.size());
        assertEquals(
                "{\"site\":\"a.com\",\"user name\":\"Doe, J\",\"price\":2.5}",
                read.get(0).json.replaceAll(".*\"features\":(\\{[^}]*}).*", "$1"));
        assertEquals(
                "{\"site\":\"b.com\",\"user name\":\"say \\\"hi\\\"\",\"price\":3.0}",
                read.get(1).json.replaceAll(".*\"features\":(\\{[^}]*}).*", "$1"));
        assertEquals(expected.get(2).json.replace("line one line two", "line one\\r\\nline two"), read.get(2).json);
        assertEquals(expected.get(0).json.replace("Doe J", "Doe, J"), read.get(0).json);
        for (int i = 0; i < 3; i++) {
            assertEquals(expected.get(i).label, read.get(i).label);
            assertEquals(expected.get(i).ts, read.get(i).ts);
        }
    }

    @Test
    void aRowsLineIsTheOneItStartsOnAndAQuoteNeverClosedNamesItsLine() throws Exception {
        Path badLabel = write(
                "labels.csv",
                """
                id,clicked,note
                e1,1,"two
                lines"
                e2,yes,plain
                """);
        IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class, () -> events(badLabel));
        assertEquals(
                badLabel
                        + ", line 4, column 'clicked': 'yes' is not a number (name the positive class with --positive)",
                unreadable.getMessage());

        Path unclosed = write(
                "unclosed.csv",
                """
                id,clicked,note
                e1,1,fine
                e2,0,"never closed
                """);
        IllegalArgumentException notCsv = assertThrows(IllegalArgumentException.class, () -> events(unclosed));
        assertEquals(
                unclosed + ", line 3: not CSV: Missing closing quote for value",
                notCsv.getMessage().replaceAll("(Missing closing quote for value).*", "$1"));
    }

    @Test
    void aSeriesExportWithAByteOrderMarkAndQuotedHeaderIsRead() throws Exception {
        Path file = write(
                "series.csv",
                """
                \uFEFF"Datetime","PJME_MW"\r
                2002-12-31 01:00:00,"26498.0"\r
                2002-12-31 02:00:00,25147.0\r
                """);
        List<SeriesPoint> points = SeriesCsv.read(file, "PJME", "Datetime", "PJME_MW", new SkippedRows());
        assertEquals(2, points.size());
        assertEquals(1041296400000L, points.get(0).ts);
        assertEquals(26498.0, points.get(0).value);
        assertEquals(25147.0, points.get(1).value);
    }

    @Test
    void aPositiveClassThatNoRowHasStopsTheReaderAndNamesTheValuesThereAre() throws Exception {
        Path file = write(
                "elec.csv",
                """
                id,clicked,price
                e1,UP,1
                e2,DOWN,2
                e3,UP,3
                """);
        TabularEvents.Spec spec = new TabularEvents.Spec();
        spec.labelColumn = "clicked";
        spec.positiveValue = "UP";
        assertEquals(
                List.of(1.0, 0.0, 1.0),
                TabularEvents.readCsv(file, spec, new SkippedRows()).stream()
                        .map(e -> e.label)
                        .toList());

        spec.positiveValue = "up";
        IllegalArgumentException typo = assertThrows(
                IllegalArgumentException.class, () -> TabularEvents.readCsv(file, spec, new SkippedRows()));
        assertEquals(
                "no row of " + file
                        + " has the positive class 'up' in the label column 'clicked' (its values: DOWN, UP)",
                typo.getMessage());
    }

    @Test
    void aCsvReadWithoutItsLabelColumnNamesTheColumnsItHas() throws Exception {
        DatasetSource own = new DatasetSource();
        own.files.add(write(
                "own.csv", """
                \uFEFFid,"clicked",price
                e1,1,2
                """));
        assertEquals(
                "csv needs --label COLUMN, one of: id, clicked, price",
                assertThrows(IllegalArgumentException.class, own::events).getMessage());

        DatasetSource bikes = new DatasetSource();
        bikes.files.add(Path.of("src/data/bike_sharing/hour.csv"));
        assertEquals(
                "csv needs --label COLUMN, one of: instant, dteday, season, yr, mnth, hr, holiday, weekday,"
                        + " workingday, weathersit, temp, atemp, hum, windspeed, casual, registered, cnt"
                        + " (or --format bike-sharing: hour.csv is the UCI bike-sharing file)",
                assertThrows(IllegalArgumentException.class, bikes::events).getMessage());
    }
}
