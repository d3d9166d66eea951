package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.datasets.ClickStream;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.metrics.MetricNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateTest {

    @TempDir
    static Path dir;

    static Path clicks;

    /** 5,000 generated clicks, written without a model field, as a user's own file may be. */
    @BeforeAll
    static void writeClicks() throws Exception {
        List<String> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (DatasetEvent e : new ClickStream(new ClickStream.Spec()).take(5000)) {
            ObjectNode n = (ObjectNode) json.readTree(e.json);
            n.remove("model");
            lines.add(json.writeValueAsString(n));
        }
        clicks = dir.resolve("clicks.jsonl");
        Files.write(clicks, lines);
    }

    private record Run(int status, List<String> out, String err) {
        JsonNode last() throws Exception {
            return new ObjectMapper().readTree(out.get(out.size() - 1));
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Evaluate.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                status,
                List.of(out.toString(StandardCharsets.UTF_8).split("\n")),
                err.toString(StandardCharsets.UTF_8));
    }

    private static Run runSeries(Path file, String timeColumn, String valueColumn, String... more) {
        List<String> args = new ArrayList<>(
                List.of("--file", file.toString(), "--format", "series", "--time", timeColumn, "--value", valueColumn));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void scoresEveryLineOfAFileWithoutModelFieldsAndEndsWithOneJsonObject() throws Exception {
        Path curve = dir.resolve("curve.html");
        Run r = run("--file", clicks.toString(), "--tail", "0.2", "--curve", curve.toString());
        assertEquals(0, r.status, r.err);
        JsonNode result = r.last();
        assertEquals(5000, result.get("examples").asInt());
        assertEquals(1000, result.get("tail").get("examples").asInt());
        assertEquals(0.2, result.get("tail").get("fraction").asDouble());
        double logLoss = result.get(MetricNames.LOG_LOSS).asDouble();
        assertTrue(logLoss < result.get("baseRateLogLoss").asDouble(), "learns: " + logLoss);
        assertTrue(result.get(MetricNames.AUC).asDouble() > 0.6);
        JsonNode updates = result.get("updates");
        assertEquals(50, updates.get("all").asInt(), "a version per batch of 100: what inference was sent");
        assertTrue(updates.get("full").asInt() >= 1 && updates.get("full").asInt() < 50, updates.toString());
        double shares = 0;
        for (String learner : List.of("default", "forget", "log")) {
            shares += result.get("learners").get(learner).get("share").asDouble();
        }
        assertEquals(1.0, shares, 1e-12, "the learners' shares of what is served: " + result.get("learners"));
        String html = Files.readString(curve);
        assertTrue(html.contains("<svg") && html.contains("base rate"), "a self-contained learning curve");
    }

    @Test
    void skipAndLimitChooseThePartOfTheFileThatIsEvaluated() throws Exception {
        Run part = run("--file", clicks.toString(), "--curve", "none", "--skip", "4000", "--limit", "600");
        assertEquals(0, part.status, part.err);
        assertEquals(600, part.last().get("examples").asInt());
        Run rest = run("--file", clicks.toString(), "--curve", "none", "--skip", "4400");
        assertEquals(0, rest.status, rest.err);
        assertEquals(600, rest.last().get("examples").asInt());
        assertTrue(
                part.last().get(MetricNames.LOG_LOSS).asDouble()
                        != rest.last().get(MetricNames.LOG_LOSS).asDouble(),
                "different events");
    }

    @Test
    void aGridPrintsOneRowPerSettingAndTheJobsOptionsAreValidatedAsTheJobDoes() throws Exception {
        Run grid =
                run("--file", clicks.toString(), "--curve", "none", "--grid", "ftrl.alpha=0.1,0.5", "--grid", "l1=0,1");
        assertEquals(0, grid.status, grid.err);
        JsonNode rows = grid.last().get("grid");
        assertEquals(4, rows.size());
        assertEquals("0.1", rows.get(0).get("settings").get("ftrl.alpha").asText());
        assertEquals("1", rows.get(3).get("settings").get("l1").asText());
        assertTrue(rows.get(0).get(MetricNames.LOG_LOSS).asDouble()
                != rows.get(3).get(MetricNames.LOG_LOSS).asDouble());

        Run bad = run("--file", clicks.toString(), "--batch.size", "0");
        assertEquals(2, bad.status);
        assertEquals("evaluate: invalid configuration: batch.size: '0' must be in 1..1000000", bad.err.trim());
        Run unknown = run("--file", clicks.toString(), "--batch.sise", "5");
        assertEquals(2, unknown.status);
        assertTrue(unknown.err.contains("batch.sise: unknown option"), unknown.err);
        Run lastBad = run("--file", clicks.toString(), "--curve", "none", "--grid", "l1=0,1,-1");
        assertEquals(2, lastBad.status);
        assertTrue(
                lastBad.out.stream().allMatch(String::isBlank), "no setting runs while one is invalid: " + lastBad.out);
        assertEquals("evaluate: invalid configuration: l1: '-1.0' must be >= 0", lastBad.err.trim());
    }

    @Test
    void shardsPrintOneRowPerLearnersIntervalAndMergeAgainstOneLearner() throws Exception {
        Run r = run(
                "--file",
                clicks.toString(),
                "--curve",
                "none",
                "--hash.bits",
                "12",
                "--shards",
                "2",
                "--sync-every",
                "500",
                "--merge",
                "average");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.get(0).startsWith("one learner: last 30 % logLoss "), r.out.get(0));
        String row = r.out.get(r.out.size() - 1);
        assertTrue(row.startsWith("| 2 | 500 | average | "), row);
        assertTrue(row.contains("| 10 |"), "5,000 examples merged every 500: " + row);
        Run bad = run("--file", clicks.toString(), "--shards", "2", "--merge", "median");
        assertEquals(2, bad.status);
        assertTrue(bad.err.contains("not a merge rule (sum-of-changes, average): median"), bad.err);
    }

    @Test
    void entityFeaturesAreAddedToEveryExampleAndChangeWhatIsLearnt() throws Exception {
        Run without = run("--file", clicks.toString(), "--curve", "none");
        Run with = run(
                "--file",
                clicks.toString(),
                "--curve",
                "none",
                "--entities",
                "user,item",
                "--entities.half-lives",
                "10m,1h");
        assertEquals(0, with.status, with.err);
        assertTrue(with.out.get(0).contains("entity features of user,item (half-lives 10m,1h)"), with.out.get(0));
        assertEquals(5000, with.last().get("examples").asInt());
        assertTrue(with.last().get(MetricNames.LOG_LOSS).asDouble()
                != without.last().get(MetricNames.LOG_LOSS).asDouble());

        Run bad = run("--file", clicks.toString(), "--entities", "user", "--entities.half-lives", "soon");
        assertEquals(2, bad.status);
        assertEquals(
                "evaluate: invalid configuration: entities.half-lives: 'soon' is not a list of durations like"
                        + " 30m,1h,1d",
                bad.err.trim());
    }

    @Test
    void aSeriesGoesThroughTheJobsLagWindowsAndIsJudgedInItsOwnScale() throws Exception {
        List<String> lines = new ArrayList<>(List.of("ts,value"));
        Random noise = new Random(2);
        for (int h = 0; h < 2000; h++) {
            double v = 1000 + 300 * Math.sin(2 * Math.PI * h / 24) + 20 * noise.nextGaussian();
            lines.add((1_700_000_000_000L + h * 3_600_000L) + "," + v);
        }
        Path series = dir.resolve("series.csv");
        Files.write(series, lines);
        Run r = runSeries(
                series, "ts", "value", "--optimizer", "rls", "--series.seasonal-lags", "24", "--curve", "none");
        assertEquals(0, r.status, r.err);
        JsonNode tail = r.last().get("tail");
        assertTrue(tail.get(MetricNames.MAE).asDouble() < 30, "noise 20: " + tail);
        assertTrue(tail.get(MetricNames.MAE).asDouble()
                < tail.get(MetricNames.NAIVE_MAE).asDouble());
    }

    @Test
    void aSeriesWithGapsIsEvaluatedAndTheGapsAreCountedWhileAnUnreadableCellNamesItsLine() throws Exception {
        // as a 15-minute traffic export leaves the value empty where capture failed
        List<String> lines = new ArrayList<>(List.of("ds,y"));
        for (int q = 0; q < 1200; q++) {
            String time = java.time.Instant.ofEpochSecond(1_688_169_600L + q * 900L)
                    .toString()
                    .replace("Z", "");
            lines.add(time + "," + (q % 97 == 5 ? "" : q % 89 == 7 ? "NaN" : String.valueOf(100 + q % 96)));
        }
        Path series = dir.resolve("traffic.csv");
        Files.write(series, lines);
        Run r = runSeries(series, "ds", "y", "--series.step", "900000", "--curve", "none");
        assertEquals(0, r.status, r.err);
        assertTrue(
                r.err.contains(
                        "evaluate: skipped 27 rows of traffic.csv: no value in column 'y' (the first at line 7)"),
                r.err);
        // the window of 168 steps is full after 164 points and 4 gaps, which the lag window fills
        assertEquals(
                1200 - 27 - (168 - 4),
                r.last().get("examples").asInt(),
                "each point with a value, once its window is full");

        lines.set(300, lines.get(300).replaceFirst(",.*", ",12 cars"));
        Files.write(series, lines);
        Run bad = runSeries(series, "ds", "y");
        assertEquals(2, bad.status);
        assertEquals(
                "evaluate: " + series + ", line 301, column 'y': '12 cars' is not a finite number", bad.err.trim());
    }

    @Test
    void aTableRowWithoutItsLabelIsSkippedAndCounted() throws Exception {
        Path table = dir.resolve("table.csv");
        List<String> lines = new ArrayList<>(List.of("clicked,site,price"));
        for (int i = 0; i < 400; i++) {
            lines.add((i == 10 || i == 20 ? "?" : String.valueOf(i % 3 == 0 ? 1 : 0)) + ",s" + (i % 5) + "," + i);
        }
        Files.write(table, lines);
        Run r = run("--file", table.toString(), "--label", "clicked", "--curve", "none");
        assertEquals(0, r.status, r.err);
        assertTrue(
                r.err.contains("skipped 2 rows of table.csv: no label in column 'clicked' (the first at line 12)"),
                r.err);
        assertEquals(398, r.last().get("examples").asInt());

        Files.write(table, List.of("clicked,site,price", "?,s1,2", "NA,s2,3"));
        Run none = run("--file", table.toString(), "--label", "clicked");
        assertEquals(2, none.status);
        assertTrue(none.err.contains("evaluate: no events to evaluate in table.csv: every row was skipped"), none.err);
    }
}
