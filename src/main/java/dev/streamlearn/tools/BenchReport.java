package dev.streamlearn.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Min/median/max of each measure over the runs, and ratios of measures within each run.")
final class BenchReport implements Callable<Integer> {
    @Option(names = "--results", required = true, paramLabel = "FILE")
    Path results;

    @Option(
            names = "--ratio",
            paramLabel = "A/B",
            description =
                    "BenchMeasure names (without their unit, ' (events/s)') whose ratio A/B is taken within each run.")
    List<String> ratios = new ArrayList<>();

    @Option(
            names = "--group",
            paramLabel = "TITLE",
            defaultValue = "parallelism",
            description = "What the rows' second column is (default ${DEFAULT-VALUE}).")
    String group;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Map<String, Map<Integer, Double>> byMeasure = new LinkedHashMap<>();
        for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            if (f.length != 4) {
                throw new IllegalArgumentException("not a result row in " + results + ": " + line);
            }
            String key = f[2] + "\t" + f[1];
            byMeasure
                    .computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .put(Integer.parseInt(f[0]), Double.parseDouble(f[3]));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("| measure | " + group + " | runs | min | median | max |");
        out.println("|---|---|---|---|---|---|");
        for (var e : byMeasure.entrySet()) {
            String[] k = e.getKey().split("\t", -1);
            printRow(out, k[0], k[1], e.getValue().values());
        }
        for (String ratio : ratios) {
            String[] ab = ratio.split("/", 2);
            if (ab.length != 2) {
                throw new IllegalArgumentException("--ratio takes A/B, not " + ratio);
            }
            for (String parallelism : parallelisms(byMeasure)) {
                Map<Integer, Double> a = measure(byMeasure, ab[0], parallelism);
                Map<Integer, Double> b = measure(byMeasure, ab[1], parallelism);
                if (a == null || b == null) {
                    continue;
                }
                List<Double> within = new ArrayList<>();
                for (var run : a.entrySet()) {
                    Double base = b.get(run.getKey());
                    if (base != null) {
                        within.add(run.getValue() / base);
                    }
                }
                printRow(out, "ratio " + ab[0] + " / " + ab[1], parallelism, within);
            }
        }
        return 0;
    }

    /** The values of the measure named {@code name} with its unit ("name (events/s)", "name (s)"). */
    private static Map<Integer, Double> measure(
            Map<String, Map<Integer, Double>> byMeasure, String name, String parallelism) {
        for (var e : byMeasure.entrySet()) {
            String[] k = e.getKey().split("\t", -1);
            if (k[0].startsWith(name + " (") && k[1].equals(parallelism)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static Set<String> parallelisms(Map<String, Map<Integer, Double>> byMeasure) {
        Set<String> ps = new TreeSet<>();
        for (String key : byMeasure.keySet()) {
            ps.add(key.split("\t", -1)[1]);
        }
        return ps;
    }

    private static void printRow(PrintWriter out, String measure, String parallelism, Collection<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return;
        }
        String format = v[v.length - 1] < 10 ? "%.2f" : v[v.length - 1] < 100 ? "%.1f" : "%.0f";
        out.printf(
                "| %s | %s | %d | " + format + " | " + format + " | " + format + " |%n",
                measure,
                parallelism,
                v.length,
                v[0],
                median(v),
                v[v.length - 1]);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
