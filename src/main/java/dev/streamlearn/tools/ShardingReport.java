package dev.streamlearn.tools;

import dev.streamlearn.evaluation.PrequentialRun;
import dev.streamlearn.evaluation.ShardedRun;
import dev.streamlearn.evaluation.Summary;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelSpec;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The table of {@code scripts/evaluate --shards}: data-parallel training of one model simulated
 * ({@link ShardedRun}) for every number of learners, merge interval and merge rule, against one
 * learner over the same stream, by the loss of the last part of the stream.
 */
final class ShardingReport {

    private ShardingReport() {}

    /** Reads a merge rule by its name. */
    static final class MergeConverter implements CommandLine.ITypeConverter<ShardedRun.Merge> {
        @Override
        public ShardedRun.Merge convert(String value) {
            try {
                return ShardedRun.Merge.of(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static void print(
            ModelSpec spec,
            PrequentialRun.Stream stream,
            List<Integer> shards,
            List<Integer> syncEvery,
            List<ShardedRun.Merge> merges,
            double tail,
            PrintStream out) {
        String measure = spec.loss() == Loss.LOGISTIC ? MetricNames.LOG_LOSS : MetricNames.RMSE;
        ShardedRun.Result one = ShardedRun.run(spec, stream.examples, 1, Integer.MAX_VALUE, ShardedRun.Merge.AVERAGE);
        double single = Summary.tail(one.scores(), tail).get(measure);
        out.printf(
                Locale.ROOT,
                "one learner: last %.0f %% %s %.6f over %d examples%n%n",
                100 * tail,
                measure,
                single,
                stream.examples.size());
        out.printf(
                "| learners K | merge every N | merge | last %.0f %% %s | / one learner | merges | state"
                        + " bytes per learner | ms per merge |%n",
                100 * tail, measure);
        out.println("|---|---|---|---|---|---|---|---|");
        for (int k : shards) {
            for (int n : syncEvery) {
                for (ShardedRun.Merge merge : merges) {
                    ShardedRun.Result r = ShardedRun.run(spec, stream.examples, k, n, merge);
                    double loss = Summary.tail(r.scores(), tail).get(measure);
                    boolean diverged = !Double.isFinite(loss);
                    out.printf(
                            Locale.ROOT,
                            "| %d | %d | %s | %s | %s | %d | %d | %.1f |%n",
                            k,
                            n,
                            merge,
                            diverged ? "diverged" : String.format(Locale.ROOT, "%.6f", loss),
                            diverged ? "" : String.format(Locale.ROOT, "%.4f", loss / single),
                            r.merges(),
                            r.stateBytes(),
                            r.mergeMillis());
                }
            }
        }
    }
}
