package dev.streamlearn.datasets;

import dev.streamlearn.records.SeriesPoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A univariate series from a CSV file ({@link CsvRecords}): a time column (epoch ms, epoch seconds as {@link EpochColumn} tells, or a date-time, read as UTC) and
 * a value column; rows with a gap are left out as {@link Cells} says. Points are sorted by time and a repeated timestamp keeps its first value (PJM's
 * file is in year blocks with days running backwards, and repeats the hour a clock goes back).
 */
public final class SeriesCsv {

    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private SeriesCsv() {}

    /**
     * The points of a series file; a row whose time or value is missing is left out and counted in
     * {@code skipped} (a gap in the series, which the job's lag windows fill or reset on), one whose
     * cell cannot be read stops with its line and column.
     */
    public static List<SeriesPoint> read(
            Path file, String series, String timeColumn, String valueColumn, SkippedRows skipped) {
        List<SeriesPoint> points = new ArrayList<>();
        EpochColumn times = new EpochColumn();
        try (CsvRecords records = CsvRecords.open(file)) {
            String[] header = records.header();
            int t = column(header, timeColumn, file);
            int v = column(header, valueColumn, file);
            while (records.next()) {
                long lineNumber = records.line();
                String[] c = records.cells();
                if (c.length <= Math.max(t, v)) {
                    throw new IllegalArgumentException(file + ", line " + lineNumber + ": " + c.length
                            + " values, but the columns '" + timeColumn + "' and '" + valueColumn + "' need "
                            + (Math.max(t, v) + 1));
                }
                if (Cells.isMissing(c[t])) {
                    skipped.add(file, lineNumber, "no time in column '" + timeColumn + "'");
                } else if (Cells.isMissing(c[v])) {
                    skipped.add(file, lineNumber, "no value in column '" + valueColumn + "'");
                } else {
                    long ts = time(c[t], file, lineNumber, timeColumn);
                    times.saw(ts);
                    points.add(new SeriesPoint(series, ts, Cells.number(c[v], file, lineNumber, valueColumn)));
                }
            }
        }
        long unit = times.millisPerUnit();
        for (SeriesPoint p : points) {
            p.ts *= unit;
        }
        return sortedUnique(points);
    }

    /** The bike-sharing hourly rentals as a series: date and hour columns, rentals {@code cnt}. */
    public static List<SeriesPoint> bikeSharingHourly(Path hourCsv, String series) {
        List<SeriesPoint> points = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(hourCsv, StandardCharsets.UTF_8)) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                String[] c = line.split(",", -1);
                long ts = LocalDate.parse(c[1])
                        .atTime(Integer.parseInt(c[5]), 0)
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
                points.add(new SeriesPoint(series, ts, Double.parseDouble(c[16])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + hourCsv, e);
        }
        return sortedUnique(points);
    }

    private static List<SeriesPoint> sortedUnique(List<SeriesPoint> points) {
        points.sort(Comparator.comparingLong(p -> p.ts)); // stable: the first of equal times stays first
        List<SeriesPoint> unique = new ArrayList<>(points.size());
        for (SeriesPoint p : points) {
            if (unique.isEmpty() || unique.get(unique.size() - 1).ts != p.ts) {
                unique.add(p);
            }
        }
        return unique;
    }

    private static long time(String value, Path file, long line, String column) {
        String v = value.trim();
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            // a date-time
        }
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v)
                        .atStartOfDay()
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
            }
            if (v.length() >= 19) {
                return LocalDateTime.parse(v.replace('T', ' ').substring(0, 19), SPACED)
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
            }
        } catch (DateTimeParseException e) {
            // said below
        }
        throw Cells.unreadable(file, line, column, value, "epoch milliseconds, a date or a date-time");
    }

    private static int column(String[] header, String name, Path file) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(
                "no column '" + name + "' in " + file + " (columns: " + String.join(", ", header) + ")");
    }
}
