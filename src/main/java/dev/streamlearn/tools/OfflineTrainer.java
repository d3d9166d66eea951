package dev.streamlearn.tools;

import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.Example;
import dev.streamlearn.ingest.ParseResult;
import dev.streamlearn.model.Loss;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import smile.classification.LogisticRegression;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.regression.LinearModel;
import smile.regression.RidgeRegression;

/**
 * Trains a batch model with Smile on a dataset, with the job's own parsing and feature hashing,
 * and writes it to a model store as version 0: the job starts from it with
 * {@code --model.<id>.initial-model <path>} and updates it online. Smile's learners are dense,
 * so the hash space must be small (2^bits columns per row in memory): 10 to 14 bits fit.
 */
public final class OfflineTrainer {

    static final String USAGE = String.join("\n",
            "usage: train-offline --file PATH --store URI [options]   (dataset options as for replay: --format,",
            "       --label, --positive, --time, --categorical, --drop, --bike-label, --skip, --limit)",
            "  --model ID         the model id (default ctr)",
            "  --loss L           logistic (Smile LogisticRegression) or squared (Smile RidgeRegression); default logistic",
            "  --hash-bits N      hash space 2^N, the same as the job's hash.bits for this model (default 10; at most 16)",
            "  --lambda X         L2 penalty of the batch fit (default 0.1)",
            "  --optimizer O      the job's optimizer for this model: ftrl (default), adagrad or sgd; for FTRL the",
            "                     accumulators are set so that FTRL's closed form gives these weights",
            "  --ftrl-alpha A --ftrl-beta B --l1 L1 --l2 L2   the job's FTRL settings (defaults as the job's)",
            "  --store URI        model store to write version 0 into (file:///..., s3://...)");

    private OfflineTrainer() {}

    public static void main(String[] args) {
        try {
            StoredModel m = run(args);
            System.out.printf("wrote model %s version %d: %d non-zero weights, training %s%n", m.modelId, m.version,
                    m.nonZeroWeights(), describe(m));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("train-offline: " + e.getMessage());
            System.exit(2);
        }
    }

    private static String describe(StoredModel m) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < m.metricNames.length; i++) {
            b.append(m.metricNames[i]).append('=').append(String.format(Locale.ROOT, "%.4f", m.metricValues[i]))
                    .append(' ');
        }
        return b.toString().trim();
    }

    /** Trains and writes the model; returns what was written. */
    public static StoredModel run(String[] args) throws IOException {
        Args a = new Args(args, USAGE + " " + Replay.USAGE);
        if (a.help) {
            System.out.println(USAGE);
            System.exit(0);
        }
        String model = a.get("--model", "ctr");
        List<DatasetEvent> events = Replay.source(a).events();
        int skip = a.intValue("--skip", 0);
        int limit = a.intValue("--limit", Integer.MAX_VALUE);
        events = events.subList(Math.min(skip, events.size()), (int) Math.min(events.size(), (long) skip + limit));
        int bits = a.intValue("--hash-bits", 10);
        if (bits < 1 || bits > 16) {
            throw new IllegalArgumentException("--hash-bits must be in 1..16 (Smile's learners are dense)");
        }
        Loss loss = Loss.parse(a.get("--loss", "logistic"));
        ModelSpec.OptimizerKind optimizer = ModelSpec.OptimizerKind.valueOf(
                a.get("--optimizer", "ftrl").toUpperCase(Locale.ROOT));
        ModelSpec spec = new ModelSpec(model, loss, optimizer, bits, 1, 1, 1, 1,
                doubleValue(a, "--ftrl-alpha", 0.1), doubleValue(a, "--ftrl-beta", 1.0), 0.1,
                doubleValue(a, "--l1", 1.0), doubleValue(a, "--l2", 1.0), 0, 1, null);
        Dataset data = Dataset.of(spec, events);
        StoredModel stored = fit(spec, data, doubleValue(a, "--lambda", 0.1)).stored;
        ModelStore store = new ModelStore(a.required("--store"));
        store.publish(store.writePending(stored, "offline"), stored.modelId, stored.version);
        return stored;
    }

    private static double doubleValue(Args a, String name, double fallback) {
        String v = a.get(name, null);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " wants a number, got '" + v + "'");
        }
    }

    /** Hashed features as dense rows (without the bias, which the learners fit as intercept), and labels. */
    public static final class Dataset {
        public final double[][] x;
        public final double[] y;

        private Dataset(double[][] x, double[] y) {
            this.x = x;
            this.y = y;
        }

        public static Dataset of(ModelSpec spec, List<DatasetEvent> events) {
            EventParser parser = new EventParser(Map.of(spec.id, spec), Integer.MAX_VALUE, "offline");
            List<double[]> rows = new ArrayList<>();
            List<Double> labels = new ArrayList<>();
            for (DatasetEvent e : events) {
                ParseResult<Example> r = parser.parseLabeled(e.json.replaceFirst("\"model\":\"[^\"]*\"",
                        "\"model\":\"" + spec.id + "\""));
                if (!r.isOk()) {
                    continue; // what the job would dead-letter, the batch fit leaves out too
                }
                rows.add(dense(spec, r.value().indices, r.value().values));
                labels.add(r.value().label);
            }
            return new Dataset(rows.toArray(new double[0][]), labels.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** The hashed features of one example as a dense row of 2^bits columns (the bias left out). */
    public static double[] dense(ModelSpec spec, int[] indices, double[] values) {
        double[] row = new double[spec.biasIndex()];
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] != spec.biasIndex()) {
                row[indices[k]] += values[k];
            }
        }
        return row;
    }

    /** A fitted Smile model, its predictions, and the same model as a stored version 0. */
    public static final class Fitted {
        public final java.util.function.ToDoubleFunction<double[]> predict;
        public final StoredModel stored;

        Fitted(java.util.function.ToDoubleFunction<double[]> predict, StoredModel stored) {
            this.predict = predict;
            this.stored = stored;
        }
    }

    public static Fitted fit(ModelSpec spec, Dataset data, double lambda) {
        int p = spec.biasIndex();
        double[] coefficients;
        double intercept;
        java.util.function.ToDoubleFunction<double[]> predict;
        if (spec.loss == Loss.LOGISTIC) {
            int[] y = new int[data.y.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = (int) data.y[i];
            }
            LogisticRegression.Binomial m = LogisticRegression.binomial(data.x, y, lambda, 1e-6, 500);
            double[] w = m.coefficients(); // p weights, then the intercept
            coefficients = java.util.Arrays.copyOf(w, p);
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
                xy[i] = java.util.Arrays.copyOf(data.x[i], p + 1);
                xy[i][p] = data.y[i];
            }
            LinearModel m = RidgeRegression.fit(Formula.lhs("y"), DataFrame.of(xy, names), lambda);
            coefficients = m.coefficients();
            intercept = m.intercept();
            predict = m::predict;
        }
        return new Fitted(predict, stored(spec, coefficients, intercept, data, predict));
    }

    private static StoredModel stored(ModelSpec spec, double[] coefficients, double intercept, Dataset data,
            java.util.function.ToDoubleFunction<double[]> predict) {
        int p = spec.biasIndex();
        List<Integer> coords = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            if (coefficients[j] != 0.0) {
                coords.add(j);
            }
        }
        coords.add(p);
        StoredModel m = new StoredModel();
        m.modelId = spec.id;
        m.version = 0;
        m.parentVersion = -1;
        m.createdAtMillis = System.currentTimeMillis();
        m.examplesTrained = data.y.length;
        m.offsetsThrough = new long[0];
        m.loss = spec.loss.name();
        m.optimizer = spec.optimizer.name();
        m.hashBits = spec.hashBits;
        m.coords = coords.stream().mapToInt(Integer::intValue).toArray();
        m.weights = new double[m.coords.length];
        for (int k = 0; k < m.coords.length; k++) {
            m.weights[k] = m.coords[k] == p ? intercept : coefficients[m.coords[k]];
        }
        // FTRL keeps z and n, not w: with n = 0, z = -w (beta/alpha + l2) - sign(w) l1 gives back w
        // (the bias has no regularization); AdaGrad and SGD start from zero accumulators
        m.optimizerArrays = spec.optimizer == ModelSpec.OptimizerKind.FTRL ? 2
                : spec.optimizer == ModelSpec.OptimizerKind.ADAGRAD ? 1 : 0;
        m.optimizerState = new double[m.optimizerArrays * m.coords.length];
        if (spec.optimizer == ModelSpec.OptimizerKind.FTRL) {
            for (int k = 0; k < m.coords.length; k++) {
                double w = m.weights[k];
                boolean bias = m.coords[k] == p;
                double l1 = bias ? 0 : spec.l1;
                double l2 = bias ? 0 : spec.l2;
                m.optimizerState[k] = -w * (spec.ftrlBeta / spec.ftrlAlpha + l2) - Math.signum(w) * l1;
            }
        }
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < data.y.length; i++) {
            double yhat = predict.applyAsDouble(data.x[i]);
            loss += spec.loss.loss(yhat, data.y[i]);
            correct += (yhat >= 0.5) == (data.y[i] >= 0.5) ? 1 : 0;
        }
        m.metricNames = spec.loss == Loss.LOGISTIC ? new String[] {"trainLogLoss", "trainAccuracy"}
                : new String[] {"trainRmse"};
        m.metricValues = spec.loss == Loss.LOGISTIC
                ? new double[] {loss / data.y.length, (double) correct / data.y.length}
                : new double[] {Math.sqrt(2 * loss / data.y.length)};
        return m;
    }
}
