package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.datasets.DatasetSource;
import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.training.ModelMetric;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.IntToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Lists, shows and compares the versions in a model store. */
@Command(
        name = "scripts/models",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Lists, shows and compares the versions in a model store.",
        subcommands = {ModelStoreTool.ListVersions.class, ModelStoreTool.Show.class, ModelStoreTool.Compare.class})
public final class ModelStoreTool {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--store",
            paramLabel = "URI",
            defaultValue = "${env:" + LocalStack.STORE_ENV + "}",
            scope = CommandLine.ScopeType.INHERIT,
            description = "The model store (the job's store.path), e.g. file:///data/models (default: the local"
                    + " stack's, when run through scripts/).")
    String store;

    ModelStore store() {
        return new ModelStore(LocalStack.required(store, "--store URI", "the model store"));
    }

    /** Options of the commands that print weights. */
    static final class WeightOptions {
        @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "How many weights to list.")
        int top;

        @Option(
                names = "--names-from",
                paramLabel = "FILE",
                description = "A dataset (as for replay) whose features name the hashed coordinates.")
        String namesFrom;

        @Option(
                names = "--format",
                paramLabel = "FMT",
                description = "Its format, when the file name does not tell (" + DatasetSource.FORMATS + ").")
        String format;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every stored version, with its metrics.")
    static final class ListVersions implements Callable<Integer> {
        @ParentCommand
        ModelStoreTool parent;

        @Option(names = "--model", paramLabel = "ID", description = "Only this model.")
        String model;

        @Override
        public Integer call() throws IOException {
            list(parent.store(), model, System.out);
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "One version: metadata, metrics, largest weights.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ModelStoreTool parent;

        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION")
        String version;

        @Mixin
        WeightOptions weights;

        @Override
        public Integer call() throws IOException {
            ModelStore s = parent.store();
            StoredModel m = read(s, model, version);
            show(m, weights.top, names(weights, m), System.out);
            return 0;
        }
    }

    @Command(
            name = "compare",
            mixinStandardHelpOptions = true,
            description = "Two versions: metrics before and after, the weights that moved most.")
    static final class Compare implements Callable<Integer> {
        @ParentCommand
        ModelStoreTool parent;

        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION_A")
        String a;

        @Parameters(index = "2", paramLabel = "VERSION_B")
        String b;

        @Mixin
        WeightOptions weights;

        @Override
        public Integer call() throws IOException {
            ModelStore s = parent.store();
            StoredModel first = read(s, model, a);
            compare(first, read(s, model, b), weights.top, names(weights, first), System.out);
            return 0;
        }
    }

    public static void main(String[] args) {
        Tool.exit(new ModelStoreTool(), args);
    }

    private static StoredModel read(ModelStore store, String model, String version) throws IOException {
        long v;
        try {
            v = Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("version '" + version + "' is not a number");
        }
        requireModel(store, model);
        if (!store.versions(model).contains(v)) {
            throw new IllegalArgumentException(
                    "the store has no version " + v + " of '" + model + "' (stored: " + store.versions(model) + ")");
        }
        return store.read(model, v);
    }

    /** Fails with the models the store has when it has none of that name (a typo, or another store). */
    private static void requireModel(ModelStore store, String model) throws IOException {
        List<String> models = store.models();
        if (!models.contains(model)) {
            throw new IllegalArgumentException("the store has no model '" + model + "' ("
                    + (models.isEmpty() ? "it has none yet" : "models: " + String.join(", ", models)) + ")");
        }
    }

    private static void list(ModelStore store, String only, PrintStream out) throws IOException {
        if (only != null) {
            requireModel(store, only);
        }
        List<String> models = only == null ? store.models() : List.of(only);
        out.printf(
                "%-12s %8s %8s %10s %24s %9s %9s %8s %11s %9s %7s%n",
                "model",
                "version",
                "parent",
                "examples",
                "created",
                MetricNames.LOG_LOSS,
                MetricNames.AUC,
                MetricNames.RMSE,
                MetricNames.TRAINED_LOSS,
                "non-zero",
                "health");
        for (String model : models) {
            for (long v : store.versions(model)) {
                StoredModel m = store.read(model, v);
                out.printf(
                        "%-12s %8d %8d %10d %24s %9s %9s %8s %11s %9d %7s%n",
                        model,
                        m.version,
                        m.parentVersion,
                        m.examplesTrained,
                        Instant.ofEpochMilli(m.createdAtMillis),
                        fmt(m.metric(MetricNames.LOG_LOSS)),
                        fmt(m.metric(MetricNames.AUC)),
                        fmt(m.metric(MetricNames.RMSE)),
                        fmt(m.metric(ModelMetric.TRAINED_LOSS.metricName())),
                        m.state.nonZeroWeights(),
                        m.isFinite() ? "finite" : "NON-FINITE");
            }
        }
    }

    private static void show(StoredModel m, int top, Map<Integer, String> names, PrintStream out) {
        out.printf(
                "model %s version %d, parent %d, created %s%n",
                m.modelId, m.version, m.parentVersion, Instant.ofEpochMilli(m.createdAtMillis));
        out.printf(
                "%s loss, %s optimizer (%d steps), 2^%d hashed features, %d non-zero weights, %s%n",
                m.loss,
                m.optimizer == null ? "batch fit" : m.optimizer,
                m.state.optimizerSteps,
                m.hashBits,
                m.state.nonZeroWeights(),
                m.frozen ? "frozen" : "learning");
        out.printf(
                "%d examples in %d batches, event time through %s, labeled-topic offsets through %s%n",
                m.examplesTrained,
                m.batchesApplied,
                m.eventTimeThrough == 0
                        ? "-"
                        : Instant.ofEpochMilli(m.eventTimeThrough).toString(),
                offsets(m));
        StringBuilder metrics = new StringBuilder("prequential:");
        for (int i = 0; i < m.metricNames.length; i++) {
            metrics.append(' ').append(m.metricNames[i]).append('=').append(fmt(m.metricValues[i]));
        }
        out.println(metrics);
        out.println("largest weights:");
        Integer[] order = byMagnitude(m.state.coords.length, k -> Math.abs(m.state.weights[k]));
        for (int i = 0; i < Math.min(top, order.length); i++) {
            int k = order[i];
            out.printf("  %12.6f  %s%n", m.state.weights[k], name(m.state.coords[k], m, names));
        }
    }

    private static void compare(StoredModel a, StoredModel b, int top, Map<Integer, String> names, PrintStream out) {
        out.printf(
                "model %s: version %d (%d examples) vs version %d (%d examples)%n",
                a.modelId, a.version, a.examplesTrained, b.version, b.examplesTrained);
        for (String metric : a.metricNames) {
            out.printf("  %-14s %10s -> %10s%n", metric, fmt(a.metric(metric)), fmt(b.metric(metric)));
        }
        Map<Integer, double[]> both = new HashMap<>();
        for (int k = 0; k < a.state.coords.length; k++) {
            both.computeIfAbsent(a.state.coords[k], c -> new double[2])[0] = a.state.weights[k];
        }
        for (int k = 0; k < b.state.coords.length; k++) {
            both.computeIfAbsent(b.state.coords[k], c -> new double[2])[1] = b.state.weights[k];
        }
        List<Integer> coords = new ArrayList<>(both.keySet());
        Integer[] order = byMagnitude(coords.size(), k -> {
            double[] w = both.get(coords.get(k));
            return Math.abs(w[1] - w[0]);
        });
        out.println("weights that moved most:");
        for (int i = 0; i < Math.min(top, order.length); i++) {
            int c = coords.get(order[i]);
            double[] w = both.get(c);
            out.printf("  %12.6f -> %12.6f  (%+.6f)  %s%n", w[0], w[1], w[1] - w[0], name(c, a, names));
        }
    }

    private static Integer[] byMagnitude(int n, IntToDoubleFunction size) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(size.applyAsDouble(y), size.applyAsDouble(x)));
        return order;
    }

    private static String name(int coord, StoredModel m, Map<Integer, String> names) {
        if (coord == FeatureHasher.biasIndex(m.hashBits)) {
            return "(bias)";
        }
        String n = names.get(coord);
        return n == null ? "#" + coord : n;
    }

    /** Feature names by hashed coordinate, from a dataset's events (collisions list every name). */
    private static Map<Integer, String> names(WeightOptions options, StoredModel m) throws IOException {
        Map<Integer, String> names = new HashMap<>();
        if (options.namesFrom == null) {
            return names;
        }
        FeatureHasher hasher = new FeatureHasher(m.hashBits);
        Map<Integer, TreeSet<String>> all = new HashMap<>();
        DatasetSource source = new DatasetSource();
        source.files.add(Path.of(options.namesFrom));
        source.format = options.format;
        List<DatasetEvent> events = source.events();
        DatasetOptions.reportSkipped("models", source, System.err);
        for (DatasetEvent e : events) {
            JsonNode features = JSON.readTree(e.json).path("features");
            for (Map.Entry<String, JsonNode> f : features.properties()) {
                String label = f.getValue().isNumber()
                        ? f.getKey()
                        : f.getKey() + "=" + f.getValue().asText();
                int coord = f.getValue().isNumber()
                        ? hasher.numericIndex(f.getKey())
                        : hasher.categoricalIndex(f.getKey(), f.getValue().asText());
                all.computeIfAbsent(coord, c -> new TreeSet<>()).add(label);
            }
        }
        all.forEach((c, set) -> names.put(c, String.join(" | ", set)));
        return names;
    }

    private static String offsets(StoredModel m) {
        List<String> parts = new ArrayList<>();
        for (int p = 0; p < m.offsetsThrough.length; p++) {
            if (m.offsetsThrough[p] >= 0) {
                parts.add(p + ":" + m.offsetsThrough[p]);
            }
        }
        return parts.isEmpty() ? "-" : String.join(" ", parts);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.4f", v);
    }
}
