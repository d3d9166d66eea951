package dev.streamlearn.model;

/**
 * A map from a logistic model's margin to the margin it serves, {@code slope * margin + offset}
 * (Platt scaling), learnt online from the margins that were served and the labels that followed
 * them. A model learnt from fake negatives ranks freshly but is not calibrated; this map, fitted
 * on final labels a window later, makes its scores probabilities again. Absent (null) it is the
 * identity, and scores are bit for bit those of the margin alone.
 */
public class Calibration {

    /**
     * The step of its stochastic gradient per final label. A two-parameter logistic regression
     * on a changing stream: large enough to follow the model's drift over a few hundred labels,
     * small enough that no single label moves it far.
     */
    static final double STEP = 0.01;

    /** A served margin beyond this many logits counts as this many: one confident score cannot swing the map. */
    static final double MARGIN_LIMIT = 20;

    public double slope = 1;
    public double offset;
    /** Final labels it has learnt from. */
    public long labels;

    public Calibration() {}

    public Calibration(double slope, double offset, long labels) {
        this.slope = slope;
        this.offset = offset;
        this.labels = labels;
    }

    /** The served margin for a model's margin; the identity when there is no calibration. */
    public static double apply(Calibration c, double margin) {
        return c == null ? margin : c.slope * margin + c.offset;
    }

    /**
     * Learns from a label that followed a served margin (the model's, before the map), and returns
     * this. A non-finite margin or label teaches nothing.
     */
    public Calibration learn(double servedMargin, double label) {
        if (!Double.isFinite(servedMargin) || !Double.isFinite(label)) {
            return this;
        }
        double m = Math.max(-MARGIN_LIMIT, Math.min(MARGIN_LIMIT, servedMargin));
        double q = 1 / (1 + Math.exp(-(slope * m + offset)));
        double slopeOfLoss = q - label;
        slope -= STEP * slopeOfLoss * m;
        offset -= STEP * slopeOfLoss;
        labels++;
        return this;
    }

    public Calibration copy() {
        return new Calibration(slope, offset, labels);
    }

    public static Calibration copyOf(Calibration c) {
        return c == null ? null : c.copy();
    }

    public boolean isFinite() {
        return Double.isFinite(slope) && Double.isFinite(offset);
    }

    @Override
    public String toString() {
        return String.format("%.4f * margin %+.4f (%d labels)", slope, offset, labels);
    }
}
