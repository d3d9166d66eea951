package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.datasets.ClickStream;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.metrics.MetricNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs {@code scripts/evaluate --baselines} over every dataset the project has, with the job's
 * defaults and with the one documented option per kind of stream, and writes the results with
 * the command of each row to docs/EVALUATION.md. Every number in that page comes from here.
 */
@Command(
        name = "scripts/evaluation-report",
        mixinStandardHelpOptions = true,
        description = "Evaluates the job's learner on every dataset of the project and writes docs/EVALUATION.md.")
public final class EvaluationReport implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BIKE = "src/data/bike_sharing/hour.csv";
    private static final String OPEN_BANDIT = "src/data/open_bandit/bts_men.csv,src/data/open_bandit/bts_women.csv,"
            + "src/data/open_bandit/random_men.csv,src/data/open_bandit/random_women.csv";
    private static final String COUNT_FEATURES = "i1,i2,i3,i4,i5,i6,i7,i8,i9,i10,i11,i12,i13";

    @Option(
            names = "--elec2",
            paramLabel = "CSV",
            description = "Elec2's electricity.csv (not in this repository:"
                    + " no license is stated for it); left out when not given.")
    Path elec2;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "docs/EVALUATION.md")
    Path out;

    @Option(
            names = "--work",
            paramLabel = "DIR",
            defaultValue = "target/evaluation",
            description = "Where the generated streams are written.")
    Path work;

    private record Row(String dataset, String setting, String command, JsonNode result) {}

    public static void main(String[] args) {
        Tool.exit(new EvaluationReport(), args);
    }

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(work);
        Path logClicks = generate("clicks-log-effects.jsonl", true);
        Path linearClicks = generate("clicks-linear-effects.jsonl", false);
        List<Row> logistic = new ArrayList<>();
        if (elec2 != null) {
            String e = "--file " + elec2 + " --label class --positive UP";
            logistic.add(run("Elec2 (drifting electricity prices)", "defaults", e));
            logistic.add(run(
                    "Elec2",
                    "one learner, `--challengers none --forget.half-life 100`",
                    e + " --challengers none --forget.half-life 100"));
        }
        logistic.add(run("Bike sharing, busy hour", "defaults", "--file " + BIKE + " --format bike-sharing"));
        logistic.add(run("Open Bandit (no signal)", "defaults", "--file " + OPEN_BANDIT + " --format open-bandit"));
        logistic.add(run("Generated clicks, counts act through log", "defaults", "--file " + logClicks));
        logistic.add(run(
                "Generated clicks, counts act through log",
                "one learner, `--challengers none --scale.log <the 13 counts>`",
                "--file " + logClicks + " --challengers none --scale.log " + COUNT_FEATURES));
        logistic.add(run("Generated clicks, counts act linearly", "defaults", "--file " + linearClicks));
        logistic.add(run(
                "Generated clicks, counts act linearly",
                "one learner, `--challengers none --scale.log <the 13 counts>`",
                "--file " + linearClicks + " --challengers none --scale.log " + COUNT_FEATURES));
        List<Row> regression = List.of(run(
                "Bike sharing, rentals per hour",
                "defaults",
                "--file " + BIKE + " --format bike-sharing --bike-label count --loss squared"));
        String pjm = "--file src/data/pjm_hourly_load/PJME_hourly.csv --format series --time ds --value y";
        String taxi = "--file src/data/nab_nyc_taxi/nyc_taxi.csv --format series --time timestamp --value value"
                + " --series.lags 48 --series.seasonal-lags 48,336 --series.step 1800000";
        String bikeSeries = "--file " + BIKE + " --format bike-sharing --bike-label series";
        List<Row> series = new ArrayList<>();
        for (String[] d : new String[][] {
            {"PJM East load, hourly (MW)", pjm},
            {"NYC taxi passengers, 30 min", taxi},
            {"Bike rentals, hourly", bikeSeries}
        }) {
            series.add(run(d[0], "defaults", d[1]));
            series.add(run(
                    d[0],
                    "one learner, `--challengers none --optimizer rls`",
                    d[1] + " --challengers none --optimizer rls"));
        }
        List<ChallengerGrid.Stream> streams = new ArrayList<>();
        if (elec2 != null) {
            streams.add(new ChallengerGrid.Stream(
                    "Elec2", "--file " + elec2 + " --label class --positive UP", false, true));
        }
        streams.add(new ChallengerGrid.Stream(
                "Bike sharing, busy hour", "--file " + BIKE + " --format bike-sharing", false, true));
        streams.add(new ChallengerGrid.Stream(
                "Open Bandit", "--file " + OPEN_BANDIT + " --format open-bandit", false, true));
        streams.add(
                new ChallengerGrid.Stream("Generated clicks, counts through log", "--file " + logClicks, false, true));
        streams.add(
                new ChallengerGrid.Stream("Generated clicks, counts linear", "--file " + linearClicks, false, true));
        streams.add(new ChallengerGrid.Stream(
                "Bike sharing, rentals per hour",
                "--file " + BIKE + " --format bike-sharing --bike-label count --loss squared",
                false,
                false));
        streams.add(new ChallengerGrid.Stream("PJM East load", pjm, true, false));
        streams.add(new ChallengerGrid.Stream("NYC taxi passengers", taxi, true, false));
        streams.add(new ChallengerGrid.Stream("Bike rentals, hourly series", bikeSeries, true, false));
        String challengers = ChallengerGrid.section(streams, EvaluationReport::evaluate);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, page(logistic, regression, series) + challengers, StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
        return 0;
    }

    private Path generate(String name, boolean throughLog) throws IOException {
        ClickStream.Spec spec = new ClickStream.Spec();
        spec.countsActThroughLog = throughLog;
        ClickStream stream = new ClickStream(spec);
        List<String> lines = new ArrayList<>();
        for (DatasetEvent e : stream.take(200_000)) {
            lines.add(e.json);
        }
        Path file = work.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static Row run(String dataset, String setting, String options) {
        JsonNode result = evaluate(options + " --baselines --curve none");
        System.out.println(dataset + ", " + setting + ": " + result);
        return new Row(dataset, setting, "scripts/evaluate " + options + " --baselines", result);
    }

    /** What scripts/evaluate with these options prints as its last line. */
    private static JsonNode evaluate(String options) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status =
                Evaluate.run(options.split(" "), new PrintStream(buffer, true, StandardCharsets.UTF_8), System.err);
        String[] lines = buffer.toString(StandardCharsets.UTF_8).trim().split("\n", -1);
        if (status != 0) {
            throw new IllegalStateException("scripts/evaluate " + options + " failed");
        }
        try {
            return JSON.readTree(lines[lines.length - 1]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String page(List<Row> logistic, List<Row> regression, List<Row> series) {
        StringBuilder b = new StringBuilder();
        b.append("# How well the job learns\n\n")
                .append("Made by `scripts/evaluation-report`: every number below is the output of the command under its"
                        + " table, which runs the job's")
                .append(" own parser, scaling, series windows and learner (`scripts/evaluate`, no cluster needed).")
                .append(" Prequential: every example is scored before it is learnt from. \"Last 30 %\" is the end of")
                .append(" each stream; the batch model is Smile's (logistic or ridge regression on the same hashed and")
                .append(" scaled features), fitted on the first 70 % and scored on the last 30 %; the reference is a")
                .append(" textbook per-example FTRL-Proximal (McMahan et al. 2013: alpha 0.1, beta 1, L1 1, L2 1) with")
                .append(" online-standardized numeric features, written apart from the job's learner; the base rate")
                .append(" is the positive rate of the labels before each example. The generated click streams are")
                .append(" `scripts/generate --events 200000 --out target/evaluation/clicks-log-effects.jsonl` and the")
                .append(" same with `--counts-act linear`: 13 heavy-tailed counts, a price, 26 Zipf-distributed")
                .append(" categoricals, users and items, labels from a known logistic model (`ClickStream`); too many")
                .append(" distinct features for a dense batch fit. Elec2 is not in this repository (no license is")
                .append(" stated for it): give its CSV to the report with `--elec2`.\n\n");
        b.append("## Click-type streams (logistic loss): log loss on the last 30 %\n\n")
                .append(
                        "| dataset | setting | examples | model | base rate | reference FTRL | batch (Smile) | model AUC |"
                                + " model, whole stream |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : logistic) {
            JsonNode t = r.result.get("tail");
            JsonNode base = r.result.get("baselines");
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | **%s** | %s | %s | %s | %s | %s |%n",
                    r.dataset,
                    r.setting,
                    r.result.get("examples").asLong(),
                    num(t, MetricNames.LOG_LOSS),
                    num(t, "baseRateLogLoss"),
                    num(base.get("referenceFtrl"), MetricNames.LOG_LOSS),
                    num(base.get("batch"), MetricNames.LOG_LOSS),
                    num(t, MetricNames.AUC),
                    num(r.result, MetricNames.LOG_LOSS)));
        }
        commands(b, logistic);
        b.append("\n## Regression (squared loss): MAE on the last 30 %\n\n")
                .append("| dataset | setting | examples | model | running mean | batch (Smile ridge) | model RMSE |"
                        + " model, whole stream |\n|---|---|---|---|---|---|---|---|\n");
        for (Row r : regression) {
            JsonNode t = r.result.get("tail");
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | **%s** | %s | %s | %s | %s |%n",
                    r.dataset,
                    r.setting,
                    r.result.get("examples").asLong(),
                    num(t, MetricNames.MAE),
                    num(t, "meanMae"),
                    num(r.result.get("baselines").get("batch"), MetricNames.MAE),
                    num(t, MetricNames.RMSE),
                    num(r.result, MetricNames.MAE)));
        }
        commands(b, regression);
        b.append("\n## Time series: one-step forecasts, MAE in the series' unit on the last 30 %\n\n")
                .append(
                        "| series | setting | forecasts | model | seasonal naive | batch ridge AR (Smile) | model / batch |"
                                + " model MAPE |\n|---|---|---|---|---|---|---|---|\n");
        for (Row r : series) {
            JsonNode t = r.result.get("tail");
            double batch =
                    r.result.get("baselines").get("batch").path(MetricNames.MAE).asDouble(Double.NaN);
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | **%s** | %s | %s | %.2f | %s |%n",
                    r.dataset,
                    r.setting,
                    r.result.get("examples").asLong(),
                    num(t, MetricNames.MAE),
                    num(t, MetricNames.NAIVE_MAE),
                    num(r.result.get("baselines").get("batch"), MetricNames.MAE),
                    t.get(MetricNames.MAE).asDouble() / batch,
                    num(t, MetricNames.MAPE)));
        }
        commands(b, series);
        return b.toString();
    }

    private static void commands(StringBuilder b, List<Row> rows) {
        b.append("\nCommands, in the order of the rows:\n\n```bash\n");
        for (Row r : rows) {
            b.append(r.command).append('\n');
        }
        b.append("```\n");
    }

    private static String num(JsonNode n, String field) {
        if (n == null || !n.hasNonNull(field)) {
            return n != null && n.has("error") ? "not fitted" : "-";
        }
        double v = n.get(field).asDouble();
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
