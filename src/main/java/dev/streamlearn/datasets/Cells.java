package dev.streamlearn.datasets;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * How the dataset readers treat a cell. A missing cell (empty, or one of the usual markers of a
 * gap: {@code ?}, {@code NA}, {@code N/A}, {@code NaN}, {@code null}, {@code None}) in a column a
 * row cannot do without (a label, a series value, a time) makes the row skipped and counted
 * ({@link SkippedRows}); a cell that is there but cannot be read stops the reader with the file,
 * line and column, never with a bare parser message.
 */
public final class Cells {

    private static final Set<String> MISSING = Set.of("", "?", "na", "n/a", "nan", "null", "none");

    private Cells() {}

    /** Whether the cell holds no value, only a gap's marker. */
    public static boolean isMissing(String cell) {
        return MISSING.contains(cell.trim().toLowerCase(Locale.ROOT));
    }

    /** A number from a present cell, or the reader stops saying where and what. */
    public static double number(String cell, Path file, long line, String column) {
        try {
            double v = Double.parseDouble(cell.trim());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw unreadable(file, line, column, cell, "a finite number");
    }

    /** The message of a present cell that cannot be read as {@code expected}. */
    public static IllegalArgumentException unreadable(
            Path file, long line, String column, String cell, String expected) {
        return new IllegalArgumentException(
                file + ", line " + line + ", column '" + column + "': '" + cell + "' is not " + expected);
    }
}
