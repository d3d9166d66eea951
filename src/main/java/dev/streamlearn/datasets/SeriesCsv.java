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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A univariate series from a CSV file: a time column (epoch ms or a date-time, read as UTC) and
 * a value column. Points are sorted by time and a repeated timestamp keeps its first value (PJM's
 * file is in year blocks with days running backwards, and repeats the hour a clock goes back).
 */
public final class SeriesCsv {

    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private SeriesCsv() {}

    public static List<SeriesPoint> read(Path file, String series, String timeColumn, String valueColumn) {
        List<SeriesPoint> points = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String[] header = in.readLine().split(",", -1);
            int t = column(header, timeColumn, file);
            int v = column(header, valueColumn, file);
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] c = line.split(",", -1);
                points.add(new SeriesPoint(series, time(c[t]), Double.parseDouble(c[v])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
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

    private static long time(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            // a date-time
        }
        String v = value.trim();
        if (v.length() == 10) {
            return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        return LocalDateTime.parse(v.replace('T', ' ').substring(0, 19), SPACED)
                .toInstant(ZoneOffset.UTC)
                .toEpochMilli();
    }

    private static int column(String[] header, String name, Path file) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].trim().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(
                "no column '" + name + "' in " + file + " (columns: " + String.join(", ", header) + ")");
    }
}
