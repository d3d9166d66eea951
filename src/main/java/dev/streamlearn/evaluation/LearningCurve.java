package dev.streamlearn.evaluation;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.MetricNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A run's metrics over a sliding window of examples, drawn as a self-contained HTML page with
 * inline SVG charts (no scripts, no downloads): the model against its no-model baseline and,
 * for a model with challengers, each learner's own curve beside the served one, and the
 * promotions.
 */
public final class LearningCurve {

    private static final int POINTS = 200;
    private static final int WIDTH = 640;
    private static final int HEIGHT = 260;
    private static final int MARGIN = 48;
    private static final String MODEL_COLOR = "#1f6feb";
    private static final String BASELINE_COLOR = "#999999";
    private static final String[] LEARNER_COLORS = {"#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7ea4"};

    private LearningCurve() {}

    /** A line of a chart: a name, a color and one value per x. */
    @SuppressWarnings("ArrayRecordComponent") // a line to draw, never compared
    private record Line(String name, String color, double[] values) {}

    /** Writes the page; {@code window} is the sliding window in examples. */
    public static void write(Path file, String title, String subtitle, Scores s, int window) throws IOException {
        int n = s.size();
        int w = Math.max(1, Math.min(window, n));
        int points = Math.max(1, Math.min(POINTS, n - w + 1));
        long[] x = new long[points];
        for (int k = 0; k < points; k++) {
            x[k] = points == 1 ? n : w + (int) ((long) (n - w) * k / (points - 1));
        }
        List<Summary> windows = windows(s, x, w);
        String model = s.learners().isEmpty() ? "model" : "served";
        StringBuilder body = new StringBuilder();
        if (s.isSeries()) {
            body.append(chart(
                    "MAE, series scale",
                    x,
                    withLearners(
                            s,
                            x,
                            w,
                            MetricNames.MAE,
                            line(model, MODEL_COLOR, windows, MetricNames.MAE),
                            line("seasonal naive", BASELINE_COLOR, windows, MetricNames.NAIVE_MAE))));
            body.append(chart(
                    "RMSE, series scale",
                    x,
                    line("model", MODEL_COLOR, windows, MetricNames.RMSE),
                    line("seasonal naive", BASELINE_COLOR, windows, MetricNames.NAIVE_RMSE)));
        } else if (s.loss() == Loss.LOGISTIC) {
            body.append(chart(
                    "log loss",
                    x,
                    withLearners(
                            s,
                            x,
                            w,
                            MetricNames.LOG_LOSS,
                            line(model, MODEL_COLOR, windows, MetricNames.LOG_LOSS),
                            line("base rate", BASELINE_COLOR, windows, "baseRateLogLoss"))));
            double[] half = new double[points];
            Arrays.fill(half, 0.5);
            body.append(chart(
                    "AUC",
                    x,
                    line("model", MODEL_COLOR, windows, MetricNames.AUC),
                    new Line("no skill", BASELINE_COLOR, half)));
        } else {
            body.append(chart(
                    "MAE",
                    x,
                    withLearners(
                            s,
                            x,
                            w,
                            MetricNames.MAE,
                            line(model, MODEL_COLOR, windows, MetricNames.MAE),
                            line("running mean", BASELINE_COLOR, windows, "meanMae"))));
            body.append(chart(
                    "RMSE",
                    x,
                    line("model", MODEL_COLOR, windows, MetricNames.RMSE),
                    line("running mean", BASELINE_COLOR, windows, "meanRmse")));
        }
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>"
                + "<style>body{font-family:sans-serif;margin:24px}svg{margin:8px 16px 8px 0}"
                + "text{font-size:11px;fill:#333}</style></head><body>\n<h2>" + escape(title) + "</h2>\n<p>"
                + escape(subtitle) + "</p>\n<p>Prequential: each example scored before it is learnt. Windows of "
                + w + " examples, ending at the event on the x axis.</p>\n" + body + promotions(s) + "</body></html>\n";
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    private static List<Summary> windows(Scores s, long[] x, int w) {
        List<Summary> windows = new ArrayList<>();
        for (long end : x) {
            windows.add(Summary.of(s, (int) end - w, (int) end));
        }
        return windows;
    }

    /** The given lines, then each learner's own when the model has challengers. */
    private static Line[] withLearners(Scores s, long[] x, int w, String metric, Line... first) {
        List<Line> lines = new ArrayList<>(List.of(first));
        int k = 0;
        for (var learner : s.learners().entrySet()) {
            String color = LEARNER_COLORS[k++ % LEARNER_COLORS.length];
            lines.add(line(learner.getKey(), color, windows(learner.getValue(), x, w), metric));
        }
        return lines.toArray(Line[]::new);
    }

    private static String promotions(Scores s) {
        if (s.learners().isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h3>Promotions</h3>\n");
        if (s.promotions().isEmpty()) {
            b.append("<p>None: the model's own learner was served throughout.</p>\n");
        }
        b.append("<ul>\n");
        for (Scores.Promotion p : s.promotions()) {
            b.append("<li>after ")
                    .append(p.afterExamples())
                    .append(" examples: <b>")
                    .append(escape(p.learner()))
                    .append("</b>, ")
                    .append(escape(p.reason()))
                    .append("</li>\n");
        }
        return b.append("</ul>\n").toString();
    }

    private static Line line(String name, String color, List<Summary> windows, String metric) {
        double[] v = new double[windows.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = windows.get(k).get(metric);
        }
        return new Line(name, color, v);
    }

    private static String chart(String title, long[] x, Line... lines) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Line l : lines) {
            for (double v : l.values) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(lo <= hi)) {
            lo = 0;
            hi = 1;
        }
        double pad = hi > lo ? (hi - lo) * 0.05 : Math.max(Math.abs(hi) * 0.05, 0.01);
        lo -= pad;
        hi += pad;
        double x0 = x[0];
        double x1 = x[x.length - 1] > x0 ? x[x.length - 1] : x0 + 1;
        int plotW = WIDTH - 2 * MARGIN;
        int plotH = HEIGHT - 2 * MARGIN;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">", WIDTH, HEIGHT));
        svg.append(String.format(
                Locale.ROOT, "<text x=\"%d\" y=\"20\" style=\"font-size:13px\">%s</text>", MARGIN, escape(title)));
        for (int g = 0; g <= 4; g++) {
            double v = lo + (hi - lo) * g / 4;
            double y = MARGIN + plotH - plotH * g / 4.0;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                            + "<text x=\"2\" y=\"%.1f\">%s</text>",
                    MARGIN,
                    y,
                    MARGIN + plotW,
                    y,
                    y + 4,
                    number(v)));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\">%d</text><text x=\"%d\" y=\"%d\" " + "text-anchor=\"end\">%d events</text>",
                MARGIN,
                HEIGHT - MARGIN + 16,
                x[0],
                MARGIN + plotW,
                HEIGHT - MARGIN + 16,
                x[x.length - 1]));
        int legendX = MARGIN;
        for (Line l : lines) {
            StringBuilder points = new StringBuilder();
            for (int k = 0; k < x.length; k++) {
                if (Double.isFinite(l.values[k])) {
                    double px = MARGIN + plotW * (x[k] - x0) / (x1 - x0);
                    double py = MARGIN + plotH - plotH * (l.values[k] - lo) / (hi - lo);
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                }
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" " + "points=\"%s\"/>",
                    l.color,
                    points.toString().trim()));
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%d\">%s</text>",
                    legendX,
                    HEIGHT - 14,
                    l.color,
                    legendX + 14,
                    HEIGHT - 10,
                    escape(l.name)));
            legendX += 24 + 7 * l.name.length();
        }
        return svg.append("</svg>\n").toString();
    }

    private static String number(double v) {
        return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
