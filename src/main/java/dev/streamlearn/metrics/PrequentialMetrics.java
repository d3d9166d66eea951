package dev.streamlearn.metrics;

import java.util.Arrays;

/**
 * Progressive validation: every example is scored before the model learns from it, and the
 * scores are kept over a sliding window of the last {@code window} examples and over the
 * whole stream. Window sums are updated in O(1) per example and recomputed once per window
 * so that floating-point drift cannot build up; AUC is computed on demand. The window's arrays
 * grow as it fills: a window never recorded into (a click model's forecast windows, a model
 * without delayed labels' served window) takes no room, and one of a model that has seen few
 * examples takes little.
 */
public final class PrequentialMetrics {

    private static final int FIRST_CAPACITY = 64;

    private final Loss loss;
    private final int window;
    private double[] predictions;
    private double[] labels;
    private int next;
    private int filled;
    private long sinceRecompute;

    private double windowLoss;
    private double windowAbsError;
    private double windowSquaredError;
    private double windowAbsPctError;
    private long windowCorrect;

    private long seen;
    private long nonFinite;
    private double totalLoss;
    private double totalAbsError;
    private double totalSquaredError;
    private double totalAbsPctError;
    private long totalCorrect;

    public PrequentialMetrics(Loss loss, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, was " + window);
        }
        this.loss = loss;
        this.window = window;
        this.predictions = new double[Math.min(window, FIRST_CAPACITY)];
        this.labels = new double[predictions.length];
    }

    /** Room for at least {@code capacity} examples (at most the window's). */
    private void ensureCapacity(int capacity) {
        if (capacity > predictions.length) {
            int grown = Math.min(window, Math.max(capacity, predictions.length * 2));
            predictions = Arrays.copyOf(predictions, grown);
            labels = Arrays.copyOf(labels, grown);
        }
    }

    public void record(double prediction, double label) {
        double l = loss.loss(prediction, label);
        if (!Double.isFinite(l)) {
            // one broken score must not turn a whole window of metrics into NaN: counted apart
            nonFinite++;
            return;
        }
        double err = prediction - label;
        int correct = correct(prediction, label);
        if (filled == window) {
            double oldP = predictions[next];
            double oldY = labels[next];
            double oldErr = oldP - oldY;
            windowLoss -= loss.loss(oldP, oldY);
            windowAbsError -= Math.abs(oldErr);
            windowSquaredError -= oldErr * oldErr;
            windowAbsPctError -= absPct(oldErr, oldY);
            windowCorrect -= correct(oldP, oldY);
        } else {
            ensureCapacity(filled + 1); // next == filled until the window is full
            filled++;
        }
        predictions[next] = prediction;
        labels[next] = label;
        next = (next + 1) % window;
        windowLoss += l;
        windowAbsError += Math.abs(err);
        windowSquaredError += err * err;
        windowAbsPctError += absPct(err, label);
        windowCorrect += correct;

        seen++;
        totalLoss += l;
        totalAbsError += Math.abs(err);
        totalSquaredError += err * err;
        totalAbsPctError += absPct(err, label);
        totalCorrect += correct;

        if (++sinceRecompute >= window) {
            recomputeWindowSums();
        }
    }

    /** Absolute percentage error; a zero label counts as no error (MAPE is undefined there). */
    private static double absPct(double err, double label) {
        return label == 0.0 ? 0.0 : Math.abs(err / label);
    }

    private int correct(double prediction, double label) {
        return (prediction >= 0.5) == (label >= 0.5) ? 1 : 0;
    }

    private void recomputeWindowSums() {
        windowLoss = 0;
        windowAbsError = 0;
        windowSquaredError = 0;
        windowAbsPctError = 0;
        windowCorrect = 0;
        for (int i = 0; i < filled; i++) {
            double err = predictions[i] - labels[i];
            windowAbsPctError += absPct(err, labels[i]);
            windowLoss += loss.loss(predictions[i], labels[i]);
            windowAbsError += Math.abs(err);
            windowSquaredError += err * err;
            windowCorrect += correct(predictions[i], labels[i]);
        }
        sinceRecompute = 0;
    }

    /** Predictions left out of every metric because they, or their loss, were not finite. */
    public long nonFinite() {
        return nonFinite;
    }

    public long seen() {
        return seen;
    }

    public int windowSize() {
        return filled;
    }

    /** Mean log loss (logistic) or half squared error (squared) over the window. */
    public double windowLoss() {
        return filled == 0 ? Double.NaN : windowLoss / filled;
    }

    public double windowAccuracy() {
        return filled == 0 ? Double.NaN : (double) windowCorrect / filled;
    }

    public double windowMae() {
        return filled == 0 ? Double.NaN : windowAbsError / filled;
    }

    public double windowRmse() {
        return filled == 0 ? Double.NaN : Math.sqrt(windowSquaredError / filled);
    }

    /** Mean absolute percentage error over the window, as a fraction (0.05 = 5 %). */
    public double windowMape() {
        return filled == 0 ? Double.NaN : windowAbsPctError / filled;
    }

    public double totalMape() {
        return seen == 0 ? Double.NaN : totalAbsPctError / seen;
    }

    public double totalLoss() {
        return seen == 0 ? Double.NaN : totalLoss / seen;
    }

    public double totalAccuracy() {
        return seen == 0 ? Double.NaN : (double) totalCorrect / seen;
    }

    public double totalMae() {
        return seen == 0 ? Double.NaN : totalAbsError / seen;
    }

    public double totalRmse() {
        return seen == 0 ? Double.NaN : Math.sqrt(totalSquaredError / seen);
    }

    /** Area under the ROC curve over the window; NaN while the window holds only one class. */
    public double windowAuc() {
        return Auc.of(predictions, labels, filled);
    }

    public MetricsState snapshot() {
        MetricsState s = new MetricsState();
        s.predictions = Arrays.copyOf(predictions, filled);
        s.labels = Arrays.copyOf(labels, filled);
        s.next = next;
        s.seen = seen;
        s.nonFinite = nonFinite;
        s.totalLoss = totalLoss;
        s.totalAbsError = totalAbsError;
        s.totalSquaredError = totalSquaredError;
        s.totalAbsPctError = totalAbsPctError;
        s.totalCorrect = totalCorrect;
        return s;
    }

    public static PrequentialMetrics restore(Loss loss, int window, MetricsState s) {
        PrequentialMetrics m = new PrequentialMetrics(loss, window);
        if (s == null) {
            return m;
        }
        // a changed window size keeps the newest examples that fit
        int kept = Math.min(window, s.predictions.length);
        int oldWindow = s.predictions.length;
        m.ensureCapacity(kept);
        for (int k = kept; k >= 1; k--) {
            int i = Math.floorMod(s.next - k, oldWindow);
            m.predictions[kept - k] = s.predictions[i];
            m.labels[kept - k] = s.labels[i];
        }
        m.filled = kept;
        m.next = kept % window;
        m.recomputeWindowSums();
        m.seen = s.seen;
        m.nonFinite = s.nonFinite;
        m.totalLoss = s.totalLoss;
        m.totalAbsError = s.totalAbsError;
        m.totalSquaredError = s.totalSquaredError;
        m.totalAbsPctError = s.totalAbsPctError;
        m.totalCorrect = s.totalCorrect;
        return m;
    }
}
