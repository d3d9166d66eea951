package dev.streamlearn.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The parser against Jackson's {@code readTree} as ratios, run after run. Each run is one JMH
 * fork of the four parse benchmarks of {@link HotPathBenchmark}, many short iterations each; a
 * benchmark's figure is the median of its iterations, so a burst of the shared host's load moves a
 * few iterations rather than the figure. Prints each run's ratios and min / median / max over runs.
 *
 * <p>Usage: {@code scripts/bench --parser-ratio [RUNS]}
 */
public final class ParserRatio {

    private static final String[][] PAIRS = {
        {"bike sharing", "parseValidateAndHash", "baselineJacksonReadTree"},
        {"clicks", "parseValidateAndHashClicks", "baselineJacksonReadTreeClicks"},
    };

    private ParserRatio() {}

    public static void main(String[] args) throws RunnerException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        if (runs < 1) {
            throw new IllegalArgumentException("RUNS must be at least 1, was " + runs);
        }
        double[][] ratios = new double[PAIRS.length][runs];
        for (int run = 0; run < runs; run++) {
            Collection<RunResult> results = new Runner(options()).run();
            for (int p = 0; p < PAIRS.length; p++) {
                double parse = median(results, PAIRS[p][1]);
                double tree = median(results, PAIRS[p][2]);
                ratios[p][run] = parse / tree;
                System.out.printf(
                        Locale.ROOT,
                        "run %d %s: parse %.0f ns, readTree %.0f ns, ratio %.2f%n",
                        run + 1,
                        PAIRS[p][0],
                        parse,
                        tree,
                        ratios[p][run]);
            }
        }
        System.out.println();
        System.out.println("| events | runs | min | median | max |");
        System.out.println("|---|---|---|---|---|");
        for (int p = 0; p < PAIRS.length; p++) {
            double[] r = ratios[p].clone();
            Arrays.sort(r);
            System.out.printf(
                    Locale.ROOT,
                    "| %s, parse / readTree | %d | %.2f | %.2f | %.2f |%n",
                    PAIRS[p][0],
                    runs,
                    r[0],
                    median(r),
                    r[r.length - 1]);
        }
    }

    private static Options options() {
        return new OptionsBuilder()
                .include(HotPathBenchmark.class.getName() + "\\.(parse|baseline).*")
                .forks(1)
                .warmupIterations(5)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(15)
                .measurementTime(TimeValue.seconds(1))
                .build();
    }

    /** The median of the iteration scores of {@code benchmark} (ns per event). */
    private static double median(Collection<RunResult> results, String benchmark) {
        for (RunResult result : results) {
            if (result.getParams().getBenchmark().endsWith("." + benchmark)) {
                List<Double> scores = new ArrayList<>();
                for (BenchmarkResult b : result.getBenchmarkResults()) {
                    for (IterationResult i : b.getIterationResults()) {
                        scores.add(i.getPrimaryResult().getScore());
                    }
                }
                return median(scores.stream()
                        .mapToDouble(Double::doubleValue)
                        .sorted()
                        .toArray());
            }
        }
        throw new IllegalStateException("JMH returned no result for " + benchmark);
    }

    /** The median of sorted {@code values}. */
    private static double median(double[] values) {
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
