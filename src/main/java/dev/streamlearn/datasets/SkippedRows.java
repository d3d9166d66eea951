package dev.streamlearn.datasets;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rows a reader left out because a cell they need was missing: counted per reason, with the first line of each. */
public final class SkippedRows {

    private final Map<String, long[]> byReason = new LinkedHashMap<>(); // reason -> {count, first line}

    /** A row left out: {@code why} names the column ("no value in column 'y'"). */
    public void add(Path file, long line, String why) {
        String key = file.getFileName() + ": " + why;
        long[] seen = byReason.computeIfAbsent(key, k -> new long[] {0, line});
        seen[0]++;
    }

    public long count() {
        return byReason.values().stream().mapToLong(c -> c[0]).sum();
    }

    /** One line per reason, or the empty string when nothing was skipped. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        byReason.forEach((key, seen) -> b.append(b.length() == 0 ? "" : "\n")
                .append("skipped ")
                .append(seen[0])
                .append(seen[0] == 1 ? " row of " : " rows of ")
                .append(key)
                .append(" (the first at line ")
                .append(seen[1])
                .append(')'));
        return b.toString();
    }
}
