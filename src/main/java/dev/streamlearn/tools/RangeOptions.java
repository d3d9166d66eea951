package dev.streamlearn.tools;

import java.util.List;
import picocli.CommandLine.Option;

/** Which events of a dataset a tool uses: {@code --skip} the first N, then at most {@code --limit}. */
public final class RangeOptions {

    @Option(names = "--skip", paramLabel = "N", defaultValue = "0", description = "Leave out the first N events.")
    int skip;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "" + Integer.MAX_VALUE,
            description = "Use at most N events.")
    int limit;

    <T> List<T> of(List<T> all) {
        if (skip < 0 || limit < 0) {
            throw new IllegalArgumentException("--skip and --limit take numbers >= 0");
        }
        return all.subList(Math.min(skip, all.size()), (int) Math.min(all.size(), (long) skip + limit));
    }
}
