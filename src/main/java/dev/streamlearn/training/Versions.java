package dev.streamlearn.training;

import java.util.List;
import java.util.TreeSet;

/** Lists of version numbers in words, for messages. */
final class Versions {

    private Versions() {}

    /** The versions ascending, runs of consecutive ones as {@code a..b}: "none", or "0, 100, 4310..4321 (14)". */
    static String describe(List<Long> versions) {
        TreeSet<Long> sorted = new TreeSet<>(versions);
        if (sorted.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        Long runStart = null;
        Long previous = null;
        for (long v : sorted) {
            if (previous != null && v == previous + 1) {
                previous = v;
                continue;
            }
            appendRun(b, runStart, previous);
            runStart = v;
            previous = v;
        }
        appendRun(b, runStart, previous);
        return b.append(" (").append(sorted.size()).append(')').toString();
    }

    private static void appendRun(StringBuilder b, Long from, Long to) {
        if (from == null) {
            return;
        }
        if (b.length() > 0) {
            b.append(", ");
        }
        b.append(from);
        if (!from.equals(to)) {
            b.append(to == from + 1 ? ", " : "..").append(to);
        }
    }
}
