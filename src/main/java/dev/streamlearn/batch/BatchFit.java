package dev.streamlearn.batch;

import dev.streamlearn.features.NumericScaler;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.training.LinearScorer;
import dev.streamlearn.training.Scaling;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import smile.classification.LogisticRegression;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.regression.LinearModel;
import smile.regression.RidgeRegression;

/**
 * A batch model fitted by Smile (logistic regression, or ridge regression for squared loss) on
 * the job's own hashed and scaled features: a warm start for the job, and the batch baseline of
 * the evaluation. Smile (GPL-3.0) is not bundled into the job jar; only the tools that fit batch
 * models put it on their class path. Smile's learners are dense, so the rows hold one column per
 * hashed coordinate that occurs (and varies) in the data, not 2^bits.
 */
public final class BatchFit {

    /** Dense rows of more columns than this do not fit a batch learner's memory for long streams. */
    public static final int MAX_COLUMNS = 5000;

    /** The version a batch model is written as: the one a job that starts from it serves before learning. */
    public static final long VERSION = 0;

    private BatchFit() {}

    /**
     * The examples as dense rows over the coordinates they use, scaled as the job scales them
     * with statistics over the whole dataset (the bias left out: the learners fit it as their
     * intercept), and labels (for squared loss in the model's standardized scale).
     */
    public static final class Dataset {
        public final double[][] x;
        public final double[] y;
        public final NumericScaler scaler;
        /** The coordinate of each column. */
        public final int[] coordinates;

        private final Map<Integer, Integer> columnOf = new HashMap<>();

        private Dataset(ModelSpec spec, List<Example> examples) {
            scaler = Scaling.newScaler(spec);
            TreeSet<Integer> used = new TreeSet<>();
            for (Example e : examples) {
                for (int c : e.features.categorical) {
                    used.add(c);
                }
                for (int k = 0; k < e.features.numeric.length; k++) {
                    used.add(e.features.numeric[k]);
                    scaler.observe(e.features.numeric[k], e.features.numericValues[k]);
                }
                if (spec.loss() == Loss.SQUARED) {
                    scaler.observeLabel(e.label);
                }
            }
            used.remove(spec.biasIndex());
            if (used.size() > MAX_COLUMNS) {
                throw new IllegalArgumentException("the data has " + used.size() + " distinct features, a batch fit "
                        + "takes at most " + MAX_COLUMNS + " (Smile's learners are dense)");
            }
            int[] all = used.stream().mapToInt(Integer::intValue).toArray();
            double[][] rows = new double[examples.size()][];
            for (int j = 0; j < all.length; j++) {
                columnOf.put(all[j], j);
            }
            for (int i = 0; i < rows.length; i++) {
                rows[i] = row(examples.get(i).features, all.length);
            }
            // a column that never varies cannot be fitted (the ridge standardizes columns): leave it out
            boolean[] varies = new boolean[all.length];
            for (int j = 0; j < all.length; j++) {
                for (int i = 1; i < rows.length && !varies[j]; i++) {
                    varies[j] = rows[i][j] != rows[0][j];
                }
            }
            int kept = 0;
            for (boolean v : varies) {
                kept += v ? 1 : 0;
            }
            coordinates = new int[kept];
            columnOf.clear();
            for (int j = 0, c = 0; j < all.length; j++) {
                if (varies[j]) {
                    coordinates[c] = all[j];
                    columnOf.put(all[j], c++);
                }
            }
            x = new double[rows.length][];
            y = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                x[i] = row(examples.get(i).features);
                Example e = examples.get(i);
                y[i] = spec.loss() == Loss.SQUARED ? scaler.labelToModel(e.label) : e.label;
            }
        }

        public static Dataset of(ModelSpec spec, List<Example> examples) {
            return new Dataset(spec, examples);
        }

        /** The features as a dense row over the dataset's columns, scaled as the job scales them. */
        public double[] row(Features f) {
            return row(f, coordinates.length);
        }

        private double[] row(Features f, int width) {
            double[] row = new double[width];
            for (int c : f.categorical) {
                Integer j = columnOf.get(c);
                if (j != null) {
                    row[j] += 1.0;
                }
            }
            for (int k = 0; k < f.numeric.length; k++) {
                Integer j = columnOf.get(f.numeric[k]);
                if (j != null) {
                    row[j] += scaler.transform(f.numeric[k], f.numericValues[k]);
                }
            }
            return row;
        }
    }

    /** A fitted Smile model, its predictions (a probability, or in the label's scale), and the same model as version 0. */
    public static final class Fitted {
        public final ToDoubleFunction<double[]> predict;
        public final StoredModel stored;

        Fitted(ToDoubleFunction<double[]> predict, StoredModel stored) {
            this.predict = predict;
            this.stored = stored;
        }
    }

    public static Fitted fit(ModelSpec spec, Dataset data, double lambda) {
        int p = data.coordinates.length;
        double[] coefficients;
        double intercept;
        ToDoubleFunction<double[]> predict;
        if (spec.loss() == Loss.LOGISTIC) {
            int[] y = new int[data.y.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = (int) data.y[i];
            }
            LogisticRegression.Binomial m = LogisticRegression.binomial(data.x, y, lambda, 1e-6, 500);
            double[] w = m.coefficients(); // p weights, then the intercept
            coefficients = Arrays.copyOf(w, p);
            intercept = w[p];
            predict = row -> {
                double[] posterior = new double[2];
                m.predict(row, posterior);
                return posterior[1];
            };
        } else {
            String[] names = new String[p + 1];
            double[][] xy = new double[data.x.length][];
            for (int j = 0; j < p; j++) {
                names[j] = "f" + j;
            }
            names[p] = "y";
            for (int i = 0; i < xy.length; i++) {
                xy[i] = Arrays.copyOf(data.x[i], p + 1);
                xy[i][p] = data.y[i];
            }
            LinearModel m = RidgeRegression.fit(Formula.lhs("y"), DataFrame.of(xy, names), lambda);
            coefficients = m.coefficients();
            intercept = m.intercept();
            predict = row -> LinearScorer.prediction(Loss.SQUARED, data.scaler, m.predict(row));
        }
        return new Fitted(predict, stored(spec, coefficients, intercept, data, predict));
    }

    private static StoredModel stored(
            ModelSpec spec, double[] coefficients, double intercept, Dataset data, ToDoubleFunction<double[]> predict) {
        int nonZero = 0;
        for (double c : coefficients) {
            nonZero += c != 0.0 ? 1 : 0;
        }
        ModelState st = new ModelState();
        st.coords = new int[nonZero + 1];
        st.weights = new double[nonZero + 1];
        for (int j = 0, k = 0; j < coefficients.length; j++) {
            if (coefficients[j] != 0.0) {
                st.coords[k] = data.coordinates[j];
                st.weights[k++] = coefficients[j];
            }
        }
        st.coords[nonZero] = spec.biasIndex(); // the bias is the last coordinate: the order stays ascending
        st.weights[nonZero] = intercept;
        st.optimizerArrays = 0; // no optimizer state: the job's optimizer seeds its own from the weights
        st.optimizerState = new double[0];
        st.scale = data.scaler.export();
        StoredModel m = new StoredModel();
        m.modelId = spec.id;
        m.version = VERSION;
        m.parentVersion = -1;
        m.createdAtMillis = System.currentTimeMillis();
        m.examplesTrained = data.y.length;
        m.offsetsThrough = new long[0];
        m.loss = spec.loss();
        m.optimizer = null; // a batch fit: the job's optimizer seeds its state from the weights
        m.hashBits = spec.hashBits();
        m.state = st;
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < data.y.length; i++) {
            double yhat = predict.applyAsDouble(data.x[i]);
            double label = spec.loss() == Loss.SQUARED ? data.scaler.labelFromModel(data.y[i]) : data.y[i];
            loss += spec.loss().loss(yhat, label);
            correct += (yhat >= 0.5) == (label >= 0.5) ? 1 : 0;
        }
        m.metricNames = spec.loss() == Loss.LOGISTIC
                ? new String[] {"trainLogLoss", "trainAccuracy"}
                : new String[] {"trainRmse"};
        m.metricValues = spec.loss() == Loss.LOGISTIC
                ? new double[] {loss / data.y.length, (double) correct / data.y.length}
                : new double[] {Math.sqrt(2 * loss / data.y.length)};
        return m;
    }
}
