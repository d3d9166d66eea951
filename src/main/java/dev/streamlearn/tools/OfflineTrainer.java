package dev.streamlearn.tools;

import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.features.NumericScaler;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.Example;
import dev.streamlearn.ingest.ParseResult;
import dev.streamlearn.model.Loss;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.Features;
import dev.streamlearn.training.LinearScorer;
import dev.streamlearn.training.Scaling;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;
import smile.classification.LogisticRegression;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.regression.LinearModel;
import smile.regression.RidgeRegression;

/**
 * Trains a batch model with Smile on a dataset, with the job's own parsing, feature hashing and
 * scaling, and writes it to a model store as version 0: the job starts from it with
 * {@code --model.<id>.initial-model <path>} and updates it online. Smile's learners are dense,
 * so the hash space must be small (2^bits columns per row in memory): 10 to 14 bits fit.
 */
@Command(name = "train-offline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fits a batch model (Smile: logistic regression, or ridge regression for squared loss) with the "
                + "job's own hashing and scaling, and writes it to a model store as version 0 of a model.",
            "Any other --KEY VALUE is a model option of the job (README.md, Configuration): give the ones the job "
                + "will run the model with, at least --hash.bits (at most " + OfflineTrainer.MAX_BITS + ")."})
public final class OfflineTrainer implements Callable<Integer> {

    /** Smile's learners keep a dense row of 2^bits columns per example. */
    static final int MAX_BITS = 16;

    @Mixin
    DatasetOptions data;

    @Option(names = "--store", required = true, paramLabel = "URI",
            description = "The model store to write version 0 into (file:///..., s3://...).")
    String storeUri;

    @Option(names = "--lambda", paramLabel = "X", defaultValue = "0.1", description = "L2 penalty of the batch fit.")
    double lambda;

    @Option(names = "--skip", paramLabel = "N", defaultValue = "0", description = "Leave out the first N events.")
    int skip;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + Integer.MAX_VALUE,
            description = "Fit on at most N events.")
    int limit;

    @Unmatched
    List<String> jobOptions = new ArrayList<>();

    private StoredModel written;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new OfflineTrainer());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IOException) {
                System.err.println("train-offline: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }

    /** Trains and writes the model; returns what was written (for tests). */
    public static StoredModel run(String... args) throws Exception {
        OfflineTrainer tool = new OfflineTrainer();
        new CommandLine(tool).parseArgs(args);
        tool.call();
        return tool.written;
    }

    @Override
    public Integer call() throws IOException {
        String model = data.model != null ? data.model : "ctr";
        ModelSpec spec = JobOptions.config(JobOptions.forModel(model, Map.of(), jobOptions)).models().get(model);
        if (spec.hashBits > MAX_BITS) {
            throw new IllegalArgumentException("--hash.bits must be at most " + MAX_BITS
                    + " for a batch fit (Smile's learners are dense); it is " + spec.hashBits);
        }
        List<DatasetEvent> events = data.source().events();
        events = events.subList(Math.min(skip, events.size()), (int) Math.min(events.size(), (long) skip + limit));
        Fitted fitted = fit(spec, Dataset.of(spec, events), lambda);
        ModelStore store = new ModelStore(storeUri);
        store.publish(store.writePending(fitted.stored, "offline"), fitted.stored.modelId, fitted.stored.version);
        written = fitted.stored;
        System.out.printf("wrote model %s version %d: %d non-zero weights, training %s%n", written.modelId,
                written.version, written.state.nonZeroWeights(), describe(written));
        return 0;
    }

    private static String describe(StoredModel m) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < m.metricNames.length; i++) {
            b.append(m.metricNames[i]).append('=').append(String.format(Locale.ROOT, "%.4f", m.metricValues[i]))
                    .append(' ');
        }
        return b.toString().trim();
    }

    /**
     * The examples as dense rows, scaled as the job scales them with statistics over the whole
     * dataset (the bias left out: the learners fit it as their intercept), and labels (for
     * squared loss in the model's standardized scale).
     */
    public static final class Dataset {
        public final double[][] x;
        public final double[] y;
        public final NumericScaler scaler;
        private final ModelSpec spec;

        private Dataset(ModelSpec spec, double[][] x, double[] y, NumericScaler scaler) {
            this.spec = spec;
            this.x = x;
            this.y = y;
            this.scaler = scaler;
        }

        public static Dataset of(ModelSpec spec, List<DatasetEvent> events) {
            EventParser parser = new EventParser(Map.of(spec.id, spec), Integer.MAX_VALUE, "offline");
            List<Example> examples = new ArrayList<>();
            NumericScaler scaler = Scaling.newScaler(spec);
            for (DatasetEvent e : events) {
                ParseResult<Example> r = parser.parseLabeled(e.json.replaceFirst("\"model\":\"[^\"]*\"",
                        "\"model\":\"" + spec.id + "\""));
                if (r.isOk()) { // what the job would dead-letter, the batch fit leaves out too
                    Example x = r.value();
                    examples.add(x);
                    for (int k = 0; k < x.features.numeric.length; k++) {
                        scaler.observe(x.features.numeric[k], x.features.numericValues[k]);
                    }
                    if (spec.loss == Loss.SQUARED) {
                        scaler.observeLabel(x.label);
                    }
                }
            }
            Dataset d = new Dataset(spec, new double[examples.size()][], new double[examples.size()], scaler);
            for (int i = 0; i < examples.size(); i++) {
                Example x = examples.get(i);
                d.x[i] = d.row(x.features);
                d.y[i] = spec.loss == Loss.SQUARED ? scaler.labelToModel(x.label) : x.label;
            }
            return d;
        }

        /** The features as a dense row of 2^bits columns, scaled as the job scales them. */
        public double[] row(Features f) {
            double[] row = new double[spec.biasIndex()];
            for (int c : f.categorical) {
                row[c] += 1.0;
            }
            for (int k = 0; k < f.numeric.length; k++) {
                row[f.numeric[k]] += scaler.transform(f.numeric[k], f.numericValues[k]);
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
        int p = spec.biasIndex();
        double[] coefficients;
        double intercept;
        ToDoubleFunction<double[]> predict;
        if (spec.loss == Loss.LOGISTIC) {
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

    private static StoredModel stored(ModelSpec spec, double[] coefficients, double intercept, Dataset data,
            ToDoubleFunction<double[]> predict) {
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
        // no optimizer state: the job's optimizer seeds its own from the weights
        m.optimizer = StoredModel.BATCH_OPTIMIZER;
        m.hashBits = spec.hashBits;
        ModelState st = new ModelState();
        st.coords = coords.stream().mapToInt(Integer::intValue).toArray();
        st.weights = new double[st.coords.length];
        for (int k = 0; k < st.coords.length; k++) {
            st.weights[k] = st.coords[k] == p ? intercept : coefficients[st.coords[k]];
        }
        st.optimizerArrays = 0;
        st.optimizerState = new double[0];
        st.scale = data.scaler.export();
        m.state = st;
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < data.y.length; i++) {
            double yhat = predict.applyAsDouble(data.x[i]);
            double label = spec.loss == Loss.SQUARED ? data.scaler.labelFromModel(data.y[i]) : data.y[i];
            loss += spec.loss.loss(yhat, label);
            correct += (yhat >= 0.5) == (label >= 0.5) ? 1 : 0;
        }
        m.metricNames = spec.loss == Loss.LOGISTIC ? new String[] {"trainLogLoss", "trainAccuracy"}
                : new String[] {"trainRmse"};
        m.metricValues = spec.loss == Loss.LOGISTIC
                ? new double[] {loss / data.y.length, (double) correct / data.y.length}
                : new double[] {Math.sqrt(2 * loss / data.y.length)};
        return m;
    }
}
