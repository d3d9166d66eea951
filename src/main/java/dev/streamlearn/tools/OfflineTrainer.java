package dev.streamlearn.tools;

import dev.streamlearn.batch.BatchFit;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.datasets.DatasetSource;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.ingest.ParseResult;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.Example;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * Trains a batch model with Smile on a dataset, with the job's own parsing, feature hashing and
 * scaling, and writes it to a model store as version 0: the job starts from it with
 * {@code --model.<id>.initial-model <path>} and updates it online.
 */
@Command(
        name = "scripts/train-offline",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fits a batch model (Smile: logistic regression, or ridge regression for squared loss) with the "
                    + "job's own hashing and scaling, and writes it to a model store as version 0 of a model.",
            "Any other --KEY VALUE is a model option of the job (README.md, Configuration): give the ones the job "
                    + "will run the model with (hash.bits, scale.*, loss)."
        })
public final class OfflineTrainer implements Callable<Integer> {

    @Mixin
    DatasetOptions data;

    @Option(
            names = "--store",
            paramLabel = "URI",
            defaultValue = "${env:" + LocalStack.STORE_ENV + "}",
            description = "The model store to write version 0 into (file:///..., s3://...; default: the local"
                    + " stack's, when run through scripts/).")
    String storeUri;

    @Option(names = "--lambda", paramLabel = "X", defaultValue = "0.1", description = "L2 penalty of the batch fit.")
    double lambda;

    @Mixin
    RangeOptions range;

    @Unmatched
    List<String> jobOptions = new ArrayList<>();

    private StoredModel written;

    public static void main(String[] args) {
        Tool.exit(new OfflineTrainer(), args);
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
        ModelSpec spec = JobOptions.config(JobOptions.forModel(model, Map.of(), jobOptions))
                .models()
                .get(model);
        ModelStore store = new ModelStore(LocalStack.required(storeUri, "--store URI", "the model store"));
        long newest = store.newestClaimed(model);
        if (newest > BatchFit.VERSION) {
            // its version 0 was the model it started from (the all-zero model, served as version 0)
            throw new IllegalArgumentException("model '" + model + "' already has versions in the store (the newest "
                    + newest + "), and a version names one model for the life of a store: a batch model written now"
                    + " would be a second version " + BatchFit.VERSION + ". Write it to another --store, or as"
                    + " another --model");
        }
        if (store.versions(model).contains(BatchFit.VERSION)) {
            throw new IllegalArgumentException("the store already holds version " + BatchFit.VERSION + " of model '"
                    + model + "' (" + store.pathOf(model, BatchFit.VERSION) + "), and a stored version is never"
                    + " replaced: remove that file if no job has started from it, or write to another --store");
        }
        DatasetSource source = data.source();
        List<DatasetEvent> events = range.of(source.events());
        DatasetOptions.reportSkipped("train-offline", source, System.err);
        DatasetOptions.atLeastOne(events, source, "to fit a model to");
        BatchFit.Fitted fitted = BatchFit.fit(spec, BatchFit.Dataset.of(spec, parse(spec, events)), lambda);
        if (store.publish(store.writePending(fitted.stored, "offline"), model, fitted.stored.version)
                != ModelStore.Publication.PUBLISHED) {
            throw new IOException("version " + fitted.stored.version + " of model '" + model
                    + "' appeared in the store while it was being fitted; the fit was set aside, not published");
        }
        written = fitted.stored;
        System.out.printf(
                "wrote model %s version %d: %d non-zero weights, training %s%n",
                written.modelId, written.version, written.state.nonZeroWeights(), describe(written));
        return 0;
    }

    /** What the job would learn from the events; what it would dead-letter, the batch fit leaves out too. */
    private static List<Example> parse(ModelSpec spec, List<DatasetEvent> events) {
        EventParser parser = new EventParser(
                Map.of(spec.id, spec), InputLimits.defaults().withMaxRecordBytes(Integer.MAX_VALUE), "offline");
        List<Example> examples = new ArrayList<>();
        for (DatasetEvent e : events) {
            ParseResult<Example> r =
                    parser.parseLabeled(e.json.replaceFirst("\"model\":\"[^\"]*\"", "\"model\":\"" + spec.id + "\""));
            if (r.isOk()) {
                examples.add(r.value());
            }
        }
        return examples;
    }

    private static String describe(StoredModel m) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < m.metricNames.length; i++) {
            b.append(m.metricNames[i])
                    .append('=')
                    .append(String.format(Locale.ROOT, "%.4f", m.metricValues[i]))
                    .append(' ');
        }
        return b.toString().trim();
    }
}
