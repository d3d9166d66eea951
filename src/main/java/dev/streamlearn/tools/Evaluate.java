package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.datasets.DatasetSource;
import dev.streamlearn.entities.EntityFeatures;
import dev.streamlearn.evaluation.Baselines;
import dev.streamlearn.evaluation.LearningCurve;
import dev.streamlearn.evaluation.PrequentialRun;
import dev.streamlearn.evaluation.Scores;
import dev.streamlearn.evaluation.ShardedRun;
import dev.streamlearn.evaluation.Summary;
import dev.streamlearn.job.JobConfig;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.SeriesPoint;
import dev.streamlearn.series.SeriesSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * Prequential evaluation for users: runs the job's own parsing, scaling, series windows and
 * learning code over a dataset file, without a cluster, and prints the metrics of the whole
 * stream and of its last part. The last line is one JSON object for scripts.
 */
@Command(
        name = "scripts/evaluate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Scores every example before learning from it (prequential evaluation), with the job's own code "
                    + "and options, over a dataset file.",
            "Any other --KEY VALUE is a model option of the job (README.md, Configuration), e.g. --optimizer sgd "
                    + "--l1 0 --batch.size 1; for a series (--format series) also the series.* options."
        })
public final class Evaluate implements Callable<Integer> {

    private static final String DEFAULT_MODEL = "eval";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    DatasetOptions data;

    @Option(
            names = "--tail",
            paramLabel = "FRACTION",
            defaultValue = "0.3",
            description = "Also report the last part of the stream (default 0.3).")
    double tail;

    @Option(
            names = "--curve",
            paramLabel = "FILE",
            description = "Learning curve (HTML with SVG charts); default target/evaluate/<file>.html, none for none.")
    String curve;

    @Option(
            names = "--grid",
            paramLabel = "KEY=V1,V2",
            description = "Runs once per value (repeat for every combination) and prints one row per setting.")
    List<String> grid = new ArrayList<>();

    @Option(
            names = "--baselines",
            description =
                    "Also score, on the last part: the textbook per-example FTRL (logistic loss) and a Smile batch "
                            + "model fitted on the part before, on the same features (needs Smile on the class path, as "
                            + "scripts/evaluate puts it).")
    boolean baselines;

    @Option(
            names = "--store-every",
            paramLabel = "N",
            defaultValue = "" + PrequentialRun.DEFAULT_STORE_EVERY,
            description = "Keep a version every N examples, as the job keeps one every store.interval: what the"
                    + " guard may roll back to (default ${DEFAULT-VALUE}).")
    int storeEvery;

    @Option(
            names = "--shards",
            paramLabel = "K,K",
            split = ",",
            description = "Simulates data-parallel training of the model: K learners, each learning every K-th example,"
                    + " merged every --sync-every examples; prints a table against one learner (docs/SCALING.md).")
    List<Integer> shards;

    @Option(
            names = "--sync-every",
            paramLabel = "N,N",
            split = ",",
            defaultValue = "100,1000,10000",
            description =
                    "With --shards: merge the learners every N examples of the stream (default ${DEFAULT-VALUE}).")
    List<Integer> syncEvery;

    @Option(
            names = "--merge",
            paramLabel = "RULE,RULE",
            split = ",",
            defaultValue = "sum-of-changes,average",
            converter = ShardingReport.MergeConverter.class,
            description = "With --shards: how states merge, sum-of-changes or average (default ${DEFAULT-VALUE}).")
    List<ShardedRun.Merge> merges;

    @Mixin
    RangeOptions range;

    @Unmatched
    List<String> jobOptions = new ArrayList<>();

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    public static void main(String[] args) {
        Tool.exit(new Evaluate(), args);
    }

    /** Runs the tool, printing to the given streams; returns its exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Evaluate tool = new Evaluate();
        tool.out = out;
        tool.err = err;
        return Tool.run(tool, args, out, err);
    }

    @Override
    public Integer call() throws IOException {
        if (tail <= 0 || tail >= 1) {
            throw new IllegalArgumentException("--tail must be between 0 and 1, was " + tail);
        }
        DatasetSource source = data.source();
        String model = data.model != null ? data.model : DEFAULT_MODEL;
        source.model = model;
        Map<String, String> options = options(model, source.isSeries());
        if (storeEvery < 1) {
            throw new IllegalArgumentException("--store-every must be >= 1, was " + storeEvery);
        }
        GridSettings settings = GridSettings.of(grid, options);
        List<DatasetEvent> events = source.isSeries() ? null : range.of(source.events());
        List<SeriesPoint> points = source.isSeries() ? range.of(source.points()) : null;
        DatasetOptions.reportSkipped("evaluate", source, err);
        DatasetOptions.atLeastOne(events != null ? events : points, source, "to evaluate");
        String name = source.files.get(0).getFileName().toString();

        List<ObjectNode> rows = new ArrayList<>();
        for (int k = 0; k < settings.size(); k++) {
            Map<String, String> setting = settings.settings().get(k);
            JobConfig config = settings.configs().get(k);
            ModelSpec spec = config.models().get(model);
            if (shards != null) {
                ShardingReport.print(spec, stream(spec, config, events, points), shards, syncEvery, merges, tail, out);
                return 0;
            }
            Scores scores = PrequentialRun.learn(spec, stream(spec, config, events, points), storeEvery);
            Summary whole = Summary.of(scores);
            Summary last = Summary.tail(scores, tail);
            if (settings.size() == 1) {
                out.printf(
                        "evaluate: %s, %d %s, %d rejected%s; %s%n",
                        name,
                        scores.size(),
                        source.isSeries() ? "forecasts" : "examples",
                        rejectedCount(scores),
                        rejectedDetail(scores),
                        describe(spec));
                out.println(line("whole stream", whole));
                out.println(line(String.format(Locale.ROOT, "last %.0f %%", 100 * tail), last));
                Path curveFile = curveFile(name);
                if (curveFile != null && scores.size() > 0) {
                    LearningCurve.write(
                            curveFile,
                            "streamlearn evaluate: " + name,
                            describe(spec),
                            scores,
                            Math.min(spec.get(ModelOptions.METRICS_WINDOW), Math.max(100, scores.size() / 20)));
                    out.println("learning curve: " + curveFile);
                }
            } else {
                out.println(settingText(setting) + "  " + line("", whole).trim() + "  | tail " + tailText(last)
                        + (scores.learners().isEmpty()
                                ? ""
                                : "  | champion " + Leaderboard.champion(scores) + " after "
                                        + scores.promotions().size() + " promotions"));
            }
            ObjectNode row = json(whole, last);
            if (!scores.learners().isEmpty()) {
                Map<String, String> learnerOptions = new LinkedHashMap<>();
                spec.learners().forEach(l -> learnerOptions.put(l.learnerName(), l.learnerOverrides()));
                Leaderboard.report(settings.size() == 1 ? out : null, scores, learnerOptions, tail, row);
            }
            if (!scores.guardEvents().isEmpty()) {
                ObjectNode g = row.putObject("guard");
                scores.guardEvents().forEach(g::put);
                if (settings.size() == 1) {
                    out.println("guard: " + scores.guardEvents());
                }
            }
            if (baselines) {
                row.set("baselines", baselines(spec, config, events, points));
            }
            if (settings.size() > 1) {
                ObjectNode s = JSON.createObjectNode();
                setting.forEach(s::put);
                row.set("settings", s);
            }
            rows.add(row);
        }
        if (rows.size() == 1) {
            out.println(JSON.writeValueAsString(rows.get(0)));
        } else {
            ObjectNode all = JSON.createObjectNode();
            all.putArray("grid").addAll(rows);
            out.println(JSON.writeValueAsString(all));
        }
        return 0;
    }

    private static PrequentialRun.Stream stream(
            ModelSpec spec, JobConfig config, List<DatasetEvent> events, List<SeriesPoint> points) {
        return points != null
                ? PrequentialRun.ofSeries(spec, config.series(), points)
                : PrequentialRun.ofEvents(
                        spec, () -> events.stream().map(e -> e.json).iterator(), config.inputLimits());
    }

    /** The baselines' metrics on the last part, printed and as JSON. */
    private ObjectNode baselines(
            ModelSpec spec, JobConfig config, List<DatasetEvent> events, List<SeriesPoint> points) {
        ObjectNode n = JSON.createObjectNode();
        String last = String.format(Locale.ROOT, "last %.0f %%", 100 * tail);
        if (spec.loss() == Loss.LOGISTIC) {
            Summary reference = Summary.tail(Baselines.referenceFtrl(stream(spec, config, events, points)), tail);
            out.println(line("reference FTRL", reference) + "  (" + last + "; per example, alpha 0.1)");
            put(n.putObject("referenceFtrl"), reference);
        }
        try {
            Summary batch = Summary.of(Baselines.batchOnTail(spec, stream(spec, config, events, points), tail, 0.1))
                    .withoutRunningBaselines();
            out.println(line("batch (Smile)", batch)
                    + String.format(Locale.ROOT, "  (%s; fitted on the %.0f %% before)", last, 100 * (1 - tail)));
            put(n.putObject("batch"), batch);
        } catch (IllegalArgumentException e) {
            out.println("batch (Smile)  not fitted: " + e.getMessage());
            n.putObject("batch").put("error", e.getMessage());
        }
        return n;
    }

    /** The job options of the command line, for one model; a series gets squared loss unless told otherwise. */
    private Map<String, String> options(String model, boolean series) {
        Map<String, String> given = new LinkedHashMap<>();
        if (series) {
            given.put(SeriesSpec.MODEL.key, model);
            given.put(ModelOptions.LOSS.key, "squared");
        }
        return JobOptions.forModel(model, given, jobOptions);
    }

    private Path curveFile(String name) {
        if ("none".equals(curve)) {
            return null;
        }
        return curve != null
                ? Path.of(curve)
                : Path.of("target", "evaluate", name.replaceFirst("\\.[^.]*$", "") + ".html");
    }

    static String describe(ModelSpec s) {
        String optimizer;
        switch (s.optimizer()) {
            case FTRL:
                optimizer = String.format(
                        Locale.ROOT,
                        "ftrl alpha %s beta %s",
                        num(s.get(ModelOptions.FTRL_ALPHA)),
                        num(s.get(ModelOptions.FTRL_BETA)));
                break;
            default:
                optimizer = s.optimizer().name().toLowerCase(Locale.ROOT) + " learning-rate "
                        + num(s.get(ModelOptions.LEARNING_RATE));
        }
        return String.format(
                        Locale.ROOT,
                        "model %s: %s loss, %s, l1 %s, l2 %s, batch %d, 2^%d features%s",
                        s.id,
                        s.loss().name().toLowerCase(Locale.ROOT),
                        optimizer,
                        num(s.get(ModelOptions.L1)),
                        num(s.get(ModelOptions.L2)),
                        s.get(ModelOptions.BATCH_SIZE),
                        s.featureBits(),
                        s.hasCrosses()
                                ? " (crosses " + s.get(ModelOptions.CROSSES) + ", 2^" + s.featureBits() + " more)"
                                : "")
                + entitiesDescribed(s);
    }

    private static String entitiesDescribed(ModelSpec s) {
        if (s.get(ModelOptions.ENTITIES).isEmpty()) {
            return "";
        }
        return "; entity features of " + String.join(",", s.get(ModelOptions.ENTITIES)) + " (half-lives "
                + s.get(ModelOptions.ENTITY_HALF_LIVES).stream()
                        .map(EntityFeatures::span)
                        .collect(Collectors.joining(","))
                + ")";
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static long rejectedCount(Scores s) {
        return s.rejected().values().stream().mapToLong(Integer::longValue).sum();
    }

    private static String rejectedDetail(Scores s) {
        return s.rejected().isEmpty() ? "" : " " + s.rejected();
    }

    private static String line(String title, Summary s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-14s examples %7d", title, s.examples()));
        s.metrics().forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %s %s", k, format(v))));
        return b.toString();
    }

    static String tailText(Summary s) {
        StringBuilder b = new StringBuilder();
        s.metrics().forEach((k, v) -> b.append(String.format(Locale.ROOT, "%s %s  ", k, format(v))));
        return b.toString().trim();
    }

    private static String settingText(Map<String, String> setting) {
        StringBuilder b = new StringBuilder();
        setting.forEach((k, v) -> b.append(k).append('=').append(v).append(' '));
        return String.format("%-28s", b.toString().trim());
    }

    private static String format(double v) {
        return Double.isNaN(v)
                ? "-"
                : Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    private ObjectNode json(Summary whole, Summary last) {
        ObjectNode n = JSON.createObjectNode();
        put(n, whole);
        ObjectNode t = n.putObject("tail");
        t.put("fraction", tail);
        put(t, last);
        return n;
    }

    static void put(ObjectNode n, Summary s) {
        n.put("examples", s.examples());
        s.metrics().forEach((k, v) -> {
            if (Double.isFinite(v)) {
                n.put(k, Math.round(v * 1e6) / 1e6);
            } else {
                n.putNull(k);
            }
        });
    }
}
