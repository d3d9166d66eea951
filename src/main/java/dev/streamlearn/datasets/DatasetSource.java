package dev.streamlearn.datasets;

import dev.streamlearn.records.SeriesPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which dataset a tool reads and how: one or more files in one of the formats below. Every tool
 * that reads datasets (replay, evaluate, train-offline, models) fills one of these, so a file
 * reads the same way everywhere.
 */
public final class DatasetSource {

    /** The formats, as named on the command lines. */
    public static final String FORMATS = "jsonl, csv, arff, open-bandit, bike-sharing, series";

    public List<Path> files = new ArrayList<>();
    /** One of {@link #FORMATS}; null: from the first file's name. */
    public String format;
    /** The model id written into each event; null: each format's own (jsonl: the line's). */
    public String model;

    public String labelColumn;
    public String positiveValue;
    public String timeColumn;
    public Set<String> categorical = new HashSet<>();
    public Set<String> dropped = new HashSet<>();
    /** bike-sharing: busy, count or series. */
    public String bikeLabel = "busy";
    /** series: the series name (default: the file name) and the value column. */
    public String series;

    public String valueColumn;

    /** The rows the readers left out because a cell they need was missing; the tools print it. */
    public final SkippedRows skipped = new SkippedRows();

    /** The format, given or guessed from the first file's name. */
    public String format() {
        if (format != null) {
            return format;
        }
        String f = files.get(0).getFileName().toString().toLowerCase(Locale.ROOT);
        if (f.endsWith(".jsonl") || f.endsWith(".json")) {
            return "jsonl";
        }
        if (f.endsWith(".arff")) {
            return "arff";
        }
        if (f.endsWith(".csv")) {
            return "csv";
        }
        throw new IllegalArgumentException("cannot tell the format of " + files.get(0) + "; give --format");
    }

    /** Whether the dataset is a time series (points, not labeled events). */
    public boolean isSeries() {
        return format().equals("series") || "series".equals(bikeLabel);
    }

    /** The labeled events, in stream order. */
    public List<DatasetEvent> events() {
        checkFiles();
        switch (format()) {
            case "jsonl":
                return jsonLines();
            case "csv":
            case "arff": {
                List<DatasetEvent> out = new ArrayList<>();
                for (Path path : files) {
                    if (format().equals("csv") && labelColumn == null) {
                        throw new IllegalArgumentException(withoutLabel(path));
                    }
                    out.addAll(
                            format().equals("csv")
                                    ? TabularEvents.readCsv(path, tabularSpec(), skipped)
                                    : TabularEvents.readArff(path, tabularSpec(), skipped));
                }
                return out;
            }
            case "open-bandit":
                return OpenBanditEvents.read(model == null ? "ctr" : model, files);
            case "bike-sharing":
                if (!bikeLabel.equals("busy") && !bikeLabel.equals("count")) {
                    throw new IllegalArgumentException(
                            "--bike-label is busy, count or series, not '" + bikeLabel + "'");
                }
                return BikeSharingEvents.read(
                        model == null ? "bike" : model,
                        files.get(0),
                        bikeLabel.equals("busy") ? BikeSharingEvents.Label.BUSY_HOUR : BikeSharingEvents.Label.COUNT);
            default:
                throw new IllegalArgumentException("unknown format '" + format() + "' (" + FORMATS + ")");
        }
    }

    /** The points of a time series, sorted by time. */
    public List<SeriesPoint> points() {
        checkFiles();
        Path path = files.get(0);
        String name = series != null ? series : path.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        if (format().equals("bike-sharing")) {
            return SeriesCsv.bikeSharingHourly(path, name);
        }
        if (timeColumn == null || valueColumn == null) {
            throw new IllegalArgumentException("a series needs --time COLUMN and --value COLUMN");
        }
        return SeriesCsv.read(path, name, timeColumn, valueColumn, skipped);
    }

    /** What a CSV file read without --label needs: its columns, and the format of its own for bike sharing's. */
    private static String withoutLabel(Path csv) {
        try (CsvRecords records = CsvRecords.open(csv)) {
            String[] columns = records.header();
            return "csv needs --label COLUMN, one of: " + String.join(", ", columns)
                    + (String.join(",", columns).startsWith(BikeSharingEvents.HEADER)
                            ? " (or --format bike-sharing: " + csv.getFileName() + " is the UCI bike-sharing file)"
                            : "");
        }
    }

    private void checkFiles() {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no --file given");
        }
        for (Path path : files) {
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("no such file: " + path);
            }
        }
    }

    private TabularEvents.Spec tabularSpec() {
        TabularEvents.Spec spec = new TabularEvents.Spec();
        spec.model = model == null ? "ctr" : model;
        spec.labelColumn = labelColumn;
        spec.positiveValue = positiveValue;
        spec.timeColumn = timeColumn;
        spec.categorical = new HashSet<>(categorical);
        spec.dropped = new HashSet<>(dropped);
        return spec;
    }

    private List<DatasetEvent> jsonLines() {
        List<DatasetEvent> out = new ArrayList<>();
        for (Path path : files) {
            try {
                for (String line : Files.readAllLines(path)) {
                    if (!line.isBlank()) {
                        out.add(DatasetEvent.fromJson(line, model));
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
            }
        }
        return out;
    }
}
