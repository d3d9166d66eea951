package dev.streamlearn.datasets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Labeled events from a table: CSV with a header row, or ARFF. One column is the label (mapped
 * to 1/0 against a positive value when one is given), an optional column the event time; every
 * other column is a feature, numeric when its value parses as a number (unless named
 * categorical, or declared nominal in ARFF), categorical otherwise. CSV is read as {@link
 * CsvRecords} says (quoted cells may hold commas); ARFF's data rows are split on commas. Missing
 * cells are treated as {@link Cells} says.
 */
public final class TabularEvents {

    /** How to read the table. */
    public static final class Spec {
        public String model = "ctr";
        public String labelColumn;
        public String positiveValue;
        public String timeColumn;
        public String idColumn;
        public Set<String> categorical = new HashSet<>();
        public Set<String> dropped = new HashSet<>();
    }

    /** How many of a label column's values an error names at most. */
    private static final int NAMED_LABEL_VALUES = 10;

    private TabularEvents() {}

    public static List<DatasetEvent> readCsv(Path file, Spec spec, SkippedRows skipped) {
        try (CsvRecords records = CsvRecords.open(file)) {
            String[] columns = records.header();
            return rows(records, file, columns, new boolean[columns.length], spec, skipped);
        }
    }

    public static List<DatasetEvent> readArff(Path file, Spec spec, SkippedRows skipped) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<String> names = new ArrayList<>();
            List<Boolean> nominal = new ArrayList<>();
            String line;
            long lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                String t = line.trim();
                String lower = t.toLowerCase(Locale.ROOT);
                if (lower.startsWith("@attribute")) {
                    String rest = t.substring("@attribute".length()).trim();
                    String name;
                    if (rest.startsWith("'") || rest.startsWith("\"")) {
                        int end = rest.indexOf(rest.charAt(0), 1);
                        name = rest.substring(1, end);
                        rest = rest.substring(end + 1).trim();
                    } else {
                        String[] parts = rest.split("\\s+", 2);
                        name = parts[0];
                        rest = parts.length > 1 ? parts[1] : "";
                    }
                    String type = rest.toLowerCase(Locale.ROOT);
                    names.add(name);
                    nominal.add(!(type.startsWith("numeric") || type.startsWith("real") || type.startsWith("integer")));
                } else if (lower.startsWith("@data")) {
                    break;
                }
            }
            if (line == null || names.isEmpty()) {
                throw new IllegalArgumentException(file + " has no @attribute or @data section: not ARFF");
            }
            if (spec.labelColumn == null) {
                spec.labelColumn = names.get(names.size() - 1); // ARFF's convention: the class comes last
            }
            boolean[] forcedCategorical = new boolean[names.size()];
            for (int i = 0; i < forcedCategorical.length; i++) {
                forcedCategorical[i] = nominal.get(i);
            }
            return rows(
                    new ArffRecords(in, file, lineNumber),
                    file,
                    names.toArray(new String[0]),
                    forcedCategorical,
                    spec,
                    skipped);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** ARFF's data rows after its header: comma-separated, {@code %} comments, cells quoted in either quote. */
    private static final class ArffRecords implements TableRecords {
        private final BufferedReader in;
        private final Path file;
        private long line;
        private String[] cells;

        ArffRecords(BufferedReader in, Path file, long linesRead) {
            this.in = in;
            this.file = file;
            this.line = linesRead;
        }

        @Override
        public boolean next() {
            try {
                String text;
                do {
                    text = in.readLine();
                    line++;
                } while (text != null && (text.isBlank() || text.startsWith("%")));
                if (text == null) {
                    return false;
                }
                cells = text.split(",", -1);
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = unquote(cells[i].trim());
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        @Override
        public String[] cells() {
            return cells;
        }

        @Override
        public long line() {
            return line;
        }

        @Override
        public void close() {
            // the reader of the whole file closes it
        }
    }

    /**
     * The data rows. A row whose label (or time, when there is a time
     * column) is missing is left out and counted in {@code skipped}; a missing feature is left out
     * of its event (an absent feature); a cell that cannot be read stops the reader with its line.
     */
    private static List<DatasetEvent> rows(
            TableRecords records, Path file, String[] columns, boolean[] categorical, Spec spec, SkippedRows skipped) {
        int label = indexOf(columns, spec.labelColumn, "label", file);
        int time = spec.timeColumn == null ? -1 : indexOf(columns, spec.timeColumn, "time", file);
        int id = spec.idColumn == null ? -1 : indexOf(columns, spec.idColumn, "id", file);
        for (String c : spec.categorical) {
            categorical[indexOf(columns, c, "categorical", file)] = true;
        }
        Set<Integer> skip = new HashSet<>(Arrays.asList(label, time, id));
        for (String c : spec.dropped) {
            skip.add(indexOf(columns, c, "dropped", file));
        }
        String prefix = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        List<Row> rows = new ArrayList<>();
        EpochColumn times = new EpochColumn();
        int row = 0;
        // the label's values, to name them when none is the positive class the user gave
        Set<String> labelValues = new TreeSet<>();
        boolean positiveSeen = false;
        while (records.next()) {
            long lineNumber = records.line();
            String[] values = records.cells();
            if (values.length != columns.length) {
                throw new IllegalArgumentException(file + ", line " + lineNumber + ": " + values.length + " values for "
                        + columns.length + " columns");
            }
            String labelCell = values[label];
            if (Cells.isMissing(labelCell)) {
                skipped.add(file, lineNumber, "no label in column '" + columns[label] + "'");
                continue;
            }
            if (time >= 0 && Cells.isMissing(values[time])) {
                skipped.add(file, lineNumber, "no time in column '" + columns[time] + "'");
                continue;
            }
            ObjectNode f = DatasetEvent.features();
            for (int c = 0; c < columns.length; c++) {
                String v = values[c];
                if (skip.contains(c) || Cells.isMissing(v)) {
                    continue;
                }
                Double number = categorical[c] ? null : number(v);
                if (number != null) {
                    f.put(columns[c], number);
                } else {
                    f.put(columns[c], v);
                }
            }
            double y = label(labelCell, spec.positiveValue, file, lineNumber, columns[label]);
            positiveSeen |= y == 1.0;
            if (labelValues.size() < NAMED_LABEL_VALUES) {
                labelValues.add(labelCell);
            }
            long ts = time < 0 ? row : timestamp(values[time], file, lineNumber, columns[time]);
            times.saw(ts);
            String eventId = id < 0 ? prefix + "-" + row : values[id];
            rows.add(new Row(eventId, ts, y, f));
            row++;
        }
        if (spec.positiveValue != null && !positiveSeen && !rows.isEmpty()) {
            // a positive class that is not there (a typo, another case) would make every label 0
            throw new IllegalArgumentException("no row of " + file + " has the positive class '" + spec.positiveValue
                    + "' in the label column '" + columns[label] + "' (its values: " + String.join(", ", labelValues)
                    + (labelValues.size() == NAMED_LABEL_VALUES ? ", ..." : "") + ")");
        }
        long unit = time < 0 ? 1 : times.millisPerUnit();
        List<DatasetEvent> events = new ArrayList<>(rows.size());
        for (Row r : rows) {
            events.add(DatasetEvent.of(r.id, r.time * unit, spec.model, r.label, r.features));
        }
        return events;
    }

    /** A row read, before its time's unit is known. */
    private record Row(String id, long time, double label, ObjectNode features) {}

    private static double label(String value, String positive, Path file, long line, String column) {
        if (positive != null) {
            return value.equals(positive) ? 1.0 : 0.0;
        }
        Double y = number(value);
        if (y == null) {
            throw Cells.unreadable(file, line, column, value, "a number (name the positive class with --positive)");
        }
        return y;
    }

    private static long timestamp(String value, Path file, long line, String column) {
        Double n = number(value);
        if (n != null) {
            return n.longValue();
        }
        String v = value.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(v).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // no offset: read as UTC
        }
        try {
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            // a date alone
        }
        try {
            return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw Cells.unreadable(file, line, column, value, "epoch milliseconds nor an ISO date-time");
        }
    }

    private static Double number(String v) {
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int indexOf(String[] columns, String name, String role, Path file) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("the " + role + " column '" + name + "' is not in " + file + " (columns: "
                + String.join(", ", columns) + ")");
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
