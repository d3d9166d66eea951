package dev.streamlearn.tools;

import dev.streamlearn.datasets.DatasetSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** The dataset options of the tools that read a dataset (a picocli mixin). */
public final class DatasetOptions {

    @Option(
            names = "--file",
            required = true,
            split = ",",
            paramLabel = "PATH",
            description = "The dataset, one or more files (comma-separated).")
    List<Path> files = new ArrayList<>();

    @Option(
            names = "--format",
            paramLabel = "FMT",
            description = "One of: " + DatasetSource.FORMATS + " (default: from the file name).")
    String format;

    @Option(names = "--model", paramLabel = "ID", description = "The model id of the events.")
    String model;

    @Option(names = "--label", paramLabel = "COLUMN", description = "csv/arff: the label column (arff: the last).")
    String label;

    @Option(
            names = "--positive",
            paramLabel = "VALUE",
            description = "csv/arff: the label value that means 1, others mean 0 (default: the label is a number).")
    String positive;

    @Option(
            names = "--time",
            paramLabel = "COLUMN",
            description =
                    "csv/arff/series: the event-time column: epoch ms, an ISO date-time, or epoch seconds (read so when"
                            + " the column's largest value is from 10^9 to 10^11, as MovieLens' timestamps).")
    String time;

    @Option(
            names = "--categorical",
            split = ",",
            paramLabel = "A,B",
            description = "csv: columns to treat as categorical even when numeric.")
    Set<String> categorical = new HashSet<>();

    @Option(names = "--drop", split = ",", paramLabel = "A,B", description = "csv/arff: columns to leave out.")
    Set<String> dropped = new HashSet<>();

    @Option(
            names = "--bike-label",
            paramLabel = "L",
            defaultValue = "busy",
            description = "bike-sharing: busy (rentals above the median hour), count, or series.")
    String bikeLabel;

    @Option(names = "--series", paramLabel = "NAME", description = "series: the series name (default: the file name).")
    String series;

    @Option(names = "--value", paramLabel = "COLUMN", description = "series: the value column.")
    String value;

    /** Tells on {@code err} which rows the readers left out, and why, when they left any. */
    static void reportSkipped(String tool, DatasetSource source, java.io.PrintStream err) {
        String summary = source.skipped.summary();
        if (!summary.isEmpty()) {
            err.println(tool + ": " + summary.replace("\n", "\n" + tool + ": "));
        }
    }

    /**
     * Stops a tool that has no events or points to work on: a file with a header and no rows, or
     * whose every row was skipped, leaves nothing to learn from or to measure.
     */
    static void atLeastOne(List<?> items, DatasetSource source, String purpose) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("no events " + purpose + " in "
                    + source.files.stream().map(f -> f.getFileName().toString()).collect(Collectors.joining(", "))
                    + (source.skipped.count() > 0 ? ": every row was skipped" : ""));
        }
    }

    DatasetSource source() {
        DatasetSource s = new DatasetSource();
        s.files.addAll(files);
        s.format = format;
        s.model = model;
        s.labelColumn = label;
        s.positiveValue = positive;
        s.timeColumn = time;
        s.categorical = new HashSet<>(categorical);
        s.dropped = new HashSet<>(dropped);
        s.bikeLabel = bikeLabel;
        s.series = series;
        s.valueColumn = value;
        return s;
    }
}
