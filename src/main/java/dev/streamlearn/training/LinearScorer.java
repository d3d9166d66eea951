package dev.streamlearn.training;

import dev.streamlearn.features.NumericScaler;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.Calibration;
import dev.streamlearn.model.CoordinateTable;
import dev.streamlearn.records.Explanation;
import dev.streamlearn.records.FeatureNames;
import dev.streamlearn.records.Features;

/**
 * How a linear model scores features: the bias, plus the weight of every categorical
 * coordinate, plus the weight of every numeric coordinate times its scaled value; then the
 * loss's link (a probability for logistic loss, the label's scale for squared loss). The trainer
 * and inference both score with this, so they agree to the last bit. Weights are read from a
 * table's rows (inference keeps plain weights; the trainer's optimizer keeps its state beside
 * each weight); a coordinate without a row adds zero, as a zero weight does.
 */
public final class LinearScorer {

    private LinearScorer() {}

    /** The margin of {@code f}. */
    public static double margin(CoordinateTable table, int bias, NumericScaler scaler, Features f) {
        return margin(table, 0, bias, scaler, f);
    }

    /** The margin of {@code f} by the weights at {@code offset} in the table's rows (a learner's in a shared table). */
    static double margin(CoordinateTable table, int offset, int bias, NumericScaler scaler, Features f) {
        double m = table.weight(bias, offset);
        int[] categorical = f.categorical;
        for (int k = 0; k < categorical.length; k++) {
            m += table.weight(categorical[k], offset);
        }
        int[] numeric = f.numeric;
        double[] raw = f.numericValues;
        for (int k = 0; k < numeric.length; k++) {
            m += table.weight(numeric[k], offset) * scaler.transformAt(scaler.slotOf(numeric[k]), raw[k]);
        }
        return m;
    }

    /**
     * The margin of coordinates whose rows are known, the bias first, each weight times its value:
     * the same sum, in the same order, as {@link #margin} (a categorical's value is 1, and a weight
     * times 1 is that weight to the last bit).
     */
    static double marginOfRows(double[] table, int stride, int offset, int[] rows, double[] values, int count) {
        double m = table[stride * rows[0] + offset];
        for (int k = 1; k < count; k++) {
            m += table[stride * rows[k] + offset] * values[k];
        }
        return m;
    }

    /** The prediction for a margin: a probability (logistic) or a value in the label's scale (squared). */
    public static double prediction(Loss loss, NumericScaler scaler, double margin) {
        return loss == Loss.SQUARED ? scaler.labelFromModel(margin) : loss.predict(margin);
    }

    /**
     * The prediction a model serves for a margin: through its calibration when it has one (null:
     * bit for bit {@link #prediction(Loss, NumericScaler, double)}).
     */
    public static double served(Loss loss, NumericScaler scaler, Calibration calibration, double margin) {
        return prediction(loss, scaler, Calibration.apply(calibration, margin));
    }

    /** What each feature of {@code f} adds to the margin of {@code weights}, named by {@code names}. */
    public static Explanation explain(
            CoordinateTable weights, int bias, NumericScaler scaler, Features f, FeatureNames names) {
        int categorical = f.categorical.length;
        int n = categorical + f.numeric.length;
        Explanation e = new Explanation();
        e.bias = weights.weight(bias);
        e.names = new String[n];
        e.raw = new double[n];
        e.values = new double[n];
        e.weights = new double[n];
        e.contributions = new double[n];
        for (int k = 0; k < n; k++) {
            boolean isCategorical = k < categorical;
            int coordinate = isCategorical ? f.categorical[k] : f.numeric[k - categorical];
            e.names[k] = isCategorical ? names.categorical[k] : names.numeric[k - categorical];
            e.raw[k] = isCategorical ? Double.NaN : f.numericValues[k - categorical];
            e.values[k] = isCategorical ? 1.0 : scaler.transform(coordinate, e.raw[k]);
            e.weights[k] = weights.weight(coordinate);
            e.contributions[k] = e.values[k] * e.weights[k];
        }
        return e;
    }

    /** The prediction of {@code weights} for {@code f}. */
    public static double predict(Loss loss, CoordinateTable weights, int bias, NumericScaler scaler, Features f) {
        return prediction(loss, scaler, margin(weights, bias, scaler, f));
    }
}
