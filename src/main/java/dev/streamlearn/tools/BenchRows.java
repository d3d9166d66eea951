package dev.streamlearn.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import picocli.CommandLine.Option;

/** Where a step adds its rows (run, parallelism, measure with its unit, value), and what they are of. */
final class BenchRows {
    @Option(names = "--results", required = true, paramLabel = "FILE", description = "Where the rows are added.")
    Path results;

    @Option(names = "--run", required = true, paramLabel = "K")
    int run;

    @Option(names = "--parallelism", required = true, paramLabel = "P")
    int parallelism;

    @Option(names = "--measure", required = true, paramLabel = "NAME", description = "What the rows are of.")
    String measure;

    String row(String name, double value) {
        return run + "\t" + parallelism + "\t" + name + "\t" + value;
    }

    void append(List<String> rows) throws IOException {
        Files.write(results, rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
