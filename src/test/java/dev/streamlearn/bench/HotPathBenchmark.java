package dev.streamlearn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.datasets.ClickStream;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.features.Crosses;
import dev.streamlearn.features.MurmurHash3;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.job.Json;
import dev.streamlearn.metrics.Auc;
import dev.streamlearn.model.ChallengerList;
import dev.streamlearn.model.CoordinateTable;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.SparseWeights;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.FeatureNames;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.Prediction;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.SeriesScale;
import dev.streamlearn.records.flink.ExampleSerializer;
import dev.streamlearn.records.flink.PredictionRequestSerializer;
import dev.streamlearn.training.Learner;
import dev.streamlearn.training.ModelTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-event work of the job, on real events (bike sharing): parsing + hashing, training (one
 * example at a time, versions every 100, FTRL on 2^20 coordinates, numeric scaling included) and
 * scoring; and training on click-log-shaped examples of 40 features (13 heavy-tailed counts, 27
 * categoricals of Zipf-distributed values), the learner core's throughput at the width of a real
 * click model. The baseline is Jackson's
 * readTree of the same records, the least any JSON job does per event, measured in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {

    private static final int EVENTS = 1000;
    private static final String THREE_CROSSES = "user*item,user*c1,item*c2";
    private static final ObjectMapper JSON = new ObjectMapper();

    // one learner: the benchmarks of the learner's own work
    private final ModelSpec spec = ModelSpec.builder("bike")
            .set(ModelOptions.CHALLENGERS, ChallengerList.NONE)
            .build();
    private final ModelSpec withChallengers = ModelSpec.builder("bike").build();
    private String[] records;
    private String[] clickRecords;
    private EventParser clickParser;
    private EventParser clickParserWithCrosses;
    private Example[] examples;
    private EventParser parser;
    private ModelTrainer trainer;
    private ModelTrainer wideTrainer;
    private ModelTrainer wideTrainerWithChallengers;
    private Learner wideLearner;
    private Learner wideLearnerPlainTable;
    private Example[] wideExamples;
    // the parsed click examples, serialized once by each serializer, for reading on the trainer side
    private byte[][] clickExamplesOwn;
    private byte[][] clickExamplesPojo;
    private Prediction[] predictions;
    // parsed click requests, as their parsers send them to inference
    private PredictionRequest[] clickRequests;
    private final DataInputDeserializer in = new DataInputDeserializer();
    private final DataOutputSerializer out = new DataOutputSerializer(1024);
    private final TypeSerializer<Example> pojoSerializer = pojoSerializer();
    private final TypeSerializer<PredictionRequest> requestPojoSerializer = requestPojoSerializer();

    /** Flink's POJO serializer of an example, as examples were read before they had their own. */
    private static TypeSerializer<Example> pojoSerializer() {
        Map<String, TypeInformation<?>> fields = new HashMap<>();
        fields.put("modelId", Types.STRING);
        fields.put("id", Types.STRING);
        fields.put("ts", Types.LONG);
        fields.put("label", Types.DOUBLE);
        fields.put("weight", Types.DOUBLE);
        fields.put("features", TypeInformation.of(Features.class));
        fields.put("partition", Types.INT);
        fields.put("offset", Types.LONG);
        fields.put("servedScore", Types.DOUBLE);
        fields.put("series", TypeInformation.of(SeriesScale.class));
        return Types.POJO(Example.class, fields).createSerializer(new SerializerConfigImpl());
    }

    /** Flink's POJO serializer of a request, as requests were written and read before they had their own. */
    private static TypeSerializer<PredictionRequest> requestPojoSerializer() {
        Map<String, TypeInformation<?>> fields = new HashMap<>();
        fields.put("id", Types.STRING);
        fields.put("modelId", Types.STRING);
        fields.put("ts", Types.LONG);
        fields.put("features", TypeInformation.of(Features.class));
        fields.put("series", Types.STRING);
        fields.put("scale", TypeInformation.of(SeriesScale.class));
        fields.put("impressionPayload", Types.STRING);
        fields.put("entities", Types.OBJECT_ARRAY(Types.STRING));
        fields.put("explained", TypeInformation.of(FeatureNames.class));
        return Types.POJO(PredictionRequest.class, fields).createSerializer(new SerializerConfigImpl());
    }

    private static byte[][] serialized(Example[] examples, TypeSerializer<Example> serializer) {
        byte[][] out = new byte[examples.length][];
        DataOutputSerializer buffer = new DataOutputSerializer(1024);
        try {
            for (int i = 0; i < examples.length; i++) {
                buffer.clear();
                serializer.serialize(examples[i], buffer);
                out[i] = buffer.getCopyOfBuffer();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Setup
    public void setUp() {
        List<DatasetEvent> events = BikeSharingEvents.read(
                        "bike", Path.of("src/data/bike_sharing/hour.csv"), BikeSharingEvents.Label.BUSY_HOUR)
                .subList(0, EVENTS);
        parser = new EventParser(Map.of("bike", spec), InputLimits.defaults(), "bench");
        records = new String[EVENTS];
        examples = new Example[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            records[i] = events.get(i).json;
            examples[i] = parser.parseLabeled(records[i]).value();
        }
        ClickStream.Spec clicks = new ClickStream.Spec();
        clickParser = new EventParser(
                Map.of(clicks.model, ModelSpec.builder(clicks.model).build()), InputLimits.defaults(), "bench");
        clickParserWithCrosses = new EventParser(
                Map.of(
                        clicks.model,
                        ModelSpec.builder(clicks.model)
                                .set(ModelOptions.CROSSES, Crosses.TYPE.parse(THREE_CROSSES))
                                .build()),
                InputLimits.defaults(),
                "bench");
        List<DatasetEvent> clickEvents = new ClickStream(clicks).take(EVENTS);
        clickRecords = clickEvents.stream().map(e -> e.json).toArray(String[]::new);
        clickRequests = clickEvents.stream()
                .map(e -> clickParser.parseRequest(e.asRequest("bench-" + e.ts)).value())
                .toArray(PredictionRequest[]::new);
        Example[] clickExamples = Arrays.stream(clickRecords)
                .map(r -> clickParser.parseLabeled(r).value())
                .toArray(Example[]::new);
        clickExamplesOwn = serialized(clickExamples, ExampleSerializer.INSTANCE);
        clickExamplesPojo = serialized(clickExamples, pojoSerializer);
        Random scores = new Random(3);
        predictions = new Prediction[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            predictions[i] = new Prediction(
                    "bench-" + (1_000_000 + i), "ctr", 52_000 + i / 100, scores.nextDouble(), 1_764_000_000_000L + i);
        }
        trainer = new ModelTrainer(spec);
        wideTrainer = new ModelTrainer(spec);
        wideTrainerWithChallengers = new ModelTrainer(withChallengers);
        wideLearner = new Learner(spec);
        wideLearnerPlainTable = new Learner(spec);
        wideLearnerPlainTable.usePlainTable();
        wideExamples = wideExamples(EVENTS, 20);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void baselineJacksonReadTree(Blackhole bh) throws Exception {
        for (String r : records) {
            bh.consume(JSON.readTree(r));
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void parseValidateAndHash(Blackhole bh) {
        for (String r : records) {
            bh.consume(parser.parseLabeled(r));
        }
    }

    /** Criteo-shaped click events from the generator: 13 counts, a price, 26 categoricals, user and item. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void baselineJacksonReadTreeClicks(Blackhole bh) throws Exception {
        for (String r : clickRecords) {
            bh.consume(JSON.readTree(r));
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void parseValidateAndHashClicks(Blackhole bh) {
        for (String r : clickRecords) {
            bh.consume(clickParser.parseLabeled(r));
        }
    }

    /** The same events, each also crossed three ways: a user, an item and two of their categoricals. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void parseValidateAndHashClicksWithThreeCrosses(Blackhole bh) {
        for (String r : clickRecords) {
            bh.consume(clickParserWithCrosses.parseLabeled(r));
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void baselineReadClickExamplePojo(Blackhole bh) throws IOException {
        for (byte[] bytes : clickExamplesPojo) {
            in.setBuffer(bytes);
            bh.consume(pojoSerializer.deserialize(in));
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void readClickExample(Blackhole bh) throws IOException {
        for (byte[] bytes : clickExamplesOwn) {
            in.setBuffer(bytes);
            bh.consume(ExampleSerializer.INSTANCE.deserialize(in));
        }
    }

    /** A click request written by its parser's task and read by inference's. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void roundTripClickRequest(Blackhole bh) throws IOException {
        roundTrip(PredictionRequestSerializer.INSTANCE, bh);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void baselineRoundTripClickRequestPojo(Blackhole bh) throws IOException {
        roundTrip(requestPojoSerializer, bh);
    }

    private void roundTrip(TypeSerializer<PredictionRequest> serializer, Blackhole bh) throws IOException {
        for (PredictionRequest r : clickRequests) {
            out.clear();
            serializer.serialize(r, out);
            in.setBuffer(out.getSharedBuffer(), 0, out.length());
            bh.consume(serializer.deserialize(in));
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void trainFtrlVersionsOf100(Blackhole bh) {
        for (Example e : examples) {
            if (trainer.add(e, 0L)) {
                bh.consume(trainer.applyBatch());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void trainFtrl40FeaturesVersionsOf100(Blackhole bh) {
        for (Example e : wideExamples) {
            if (wideTrainer.add(e, 0L)) {
                bh.consume(wideTrainer.applyBatch());
            }
        }
    }

    /** As {@link #trainFtrl40FeaturesVersionsOf100}, with the automatic challengers beside the champion. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void trainFtrl40FeaturesWithAutomaticChallengersVersionsOf100(Blackhole bh) {
        for (Example e : wideExamples) {
            if (wideTrainerWithChallengers.add(e, 0L)) {
                bh.consume(wideTrainerWithChallengers.applyBatch());
            }
        }
    }

    /** One of the automatic learners of a logistic model, alone: what each costs of the challengers' whole. */
    @State(Scope.Thread)
    public static class AutomaticLearner {
        @Param({"default", "forget", "log"})
        public String name;

        Learner learner;
        Example[] examples;

        @Setup
        public void setUp() {
            ModelSpec spec = ModelSpec.builder("bike").build().learners().stream()
                    .filter(l -> l.learnerName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no automatic learner '" + name + "'"));
            learner = new Learner(spec);
            examples = wideExamples(EVENTS, 20);
        }
    }

    /** As {@link #learnOne40Features}, by each of the automatic learners alone. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void learnOne40FeaturesEachAutomaticLearner(AutomaticLearner a, Blackhole bh) {
        for (Example e : a.examples) {
            bh.consume(a.learner.learn(e.features, e.label, e.weight));
        }
    }

    /** The learner core alone: score, learn, scale one 40-feature example (no versions, no metrics). */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void learnOne40Features(Blackhole bh) {
        for (Example e : wideExamples) {
            bh.consume(wideLearner.learn(e.features, e.label, e.weight));
        }
    }

    /** As {@link #learnOne40Features}, with a plain table of all 2^20 coordinates rather than one of those it has. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void baselineLearnOne40FeaturesPlainTable(Blackhole bh) {
        for (Example e : wideExamples) {
            bh.consume(wideLearnerPlainTable.learn(e.features, e.label, e.weight));
        }
    }

    /** The learner's score of one 40-feature example: the coordinates looked up in its table of those it has. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void scoreOne40Features(Blackhole bh) {
        for (Example e : wideExamples) {
            bh.consume(wideLearner.predict(e.features));
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void baselineScoreOne40FeaturesPlainTable(Blackhole bh) {
        for (Example e : wideExamples) {
            bh.consume(wideLearnerPlainTable.predict(e.features));
        }
    }

    /** Click-log-shaped examples: 13 numeric counts (log-normal), 27 categoricals with Zipf-like values. */
    static Example[] wideExamples(int n, int hashBits) {
        Random r = new Random(1);
        int mask = (1 << hashBits) - 1;
        Example[] out = new Example[n];
        for (int i = 0; i < n; i++) {
            int[] categorical = new int[27];
            for (int c = 0; c < categorical.length; c++) {
                int value = (int) Math.floor(Math.pow(1e5, r.nextDouble())); // heavy head, long tail
                categorical[c] = MurmurHash3.hash("c" + c + "=" + value, 0) & mask;
            }
            int[] numeric = new int[13];
            double[] values = new double[13];
            for (int k = 0; k < numeric.length; k++) {
                numeric[k] = MurmurHash3.hash("i" + k, 0) & mask;
                values[k] = Math.floor(Math.exp(2 * r.nextGaussian() + 1));
            }
            out[i] = new Example(
                    "bike", null, i, r.nextInt(4) == 0 ? 1 : 0, 1.0, new Features(categorical, numeric, values));
        }
        return out;
    }

    /** A prediction's record as the predictions sink writes it. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void writePrediction(Blackhole bh) {
        for (Prediction p : predictions) {
            bh.consume(Json.prediction(p));
        }
    }

    /** The same record written with Jackson's generator, as every prediction was before the common one went straight into its bytes. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void baselineWritePredictionWithGenerator(Blackhole bh) {
        for (Prediction p : predictions) {
            bh.consume(Json.predictionWithGenerator(p));
        }
    }

    /** The same record as it was written before: a tree, then the tree written by the mapper. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void baselineWritePredictionTree(Blackhole bh) throws Exception {
        for (Prediction p : predictions) {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", p.id);
            n.put("model", p.modelId);
            n.put("modelVersion", p.modelVersion);
            n.put("score", p.score);
            n.put("ts", p.ts);
            bh.consume(JSON.writeValueAsString(n).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void score(Blackhole bh) {
        for (Example e : examples) {
            bh.consume(trainer.predict(e.features));
        }
    }

    /** Inference's served weights of a model that has touched this many of 2^20 coordinates (a sparse table). */
    @State(Scope.Thread)
    public static class ServedWeights {
        @Param({"140000", "260000"})
        public int coordinates;

        CoordinateTable table;

        @Setup
        public void setUp() {
            table = new CoordinateTable((1 << 20) + 1, 1);
            Random r = new Random(coordinates);
            while (table.size() < coordinates) {
                int row = table.rowFor(r.nextInt(1 << 20));
                table.values()[row] = r.nextDouble() - 0.5;
            }
            table.settle();
        }
    }

    /** What inference's checkpoint does with each changed model while requests wait: its non-zero weights in coordinate order. */
    @Benchmark
    public SparseWeights nonZeroWeightsOfServedModel(ServedWeights w) {
        return w.table.nonZeroWeights();
    }

    /** The same as it was done before: every coordinate sorted, then each looked up in the hash again. */
    @Benchmark
    public SparseWeights baselineNonZeroWeightsLookedUp(ServedWeights w) {
        int[] all = w.table.coordinates();
        int[] coords = new int[all.length];
        double[] weights = new double[all.length];
        int n = 0;
        for (int c : all) {
            double v = w.table.values()[w.table.rowOf(c)];
            if (v != 0.0) {
                coords[n] = c;
                weights[n++] = v;
            }
        }
        return SparseWeights.of(Arrays.copyOf(coords, n), Arrays.copyOf(weights, n));
    }

    /**
     * A model with the automatic challengers after click-shaped examples: 30,000 give each learner
     * about 250,000 of its 2^20 coordinates (a sparse table, as the job's ctr model holds after a
     * few minutes of the generator's stream), 200,000 about 670,000 (the plain layout).
     */
    @State(Scope.Thread)
    public static class LearntTrainer {
        @Param({"30000", "200000"})
        public int examples;

        ModelTrainer trainer;
        final TypeSerializer<ModelSnapshot> operatorStateSerializer =
                TypeInformation.of(ModelSnapshot.class).createSerializer(new SerializerConfigImpl());

        @Setup
        public void setUp() {
            trainer = new ModelTrainer(ModelSpec.builder("bike").build());
            for (Example e : wideExamples(examples, 20)) {
                if (trainer.add(e, 0L)) {
                    trainer.applyBatch();
                }
            }
        }
    }

    /** The trainer's synchronous part of a checkpoint: every learner's state copied into a snapshot. */
    @Benchmark
    public ModelSnapshot snapshotOfLearntTrainer(LearntTrainer t) {
        return t.trainer.snapshot();
    }

    /** The same, then copied again as Flink's operator state copies each element before writing it. */
    @Benchmark
    public ModelSnapshot snapshotOfLearntTrainerCopiedByOperatorState(LearntTrainer t) {
        return t.operatorStateSerializer.copy(t.trainer.snapshot());
    }

    /** A full metrics window (`metrics.window`, 10,000) of scores and labels, as the trainer keeps per learner. */
    @State(Scope.Thread)
    public static class MetricsWindow {
        final double[] scores = new double[10_000];
        final double[] labels = new double[scores.length];

        @Setup
        public void setUp() {
            Random r = new Random(5);
            for (int i = 0; i < scores.length; i++) {
                scores[i] = 1 / (1 + Math.exp(-2 * r.nextGaussian()));
                labels[i] = r.nextDouble() < scores[i] ? 1 : 0;
            }
        }
    }

    /** What the trainer does each second per learner and for the served scores: the window's AUC. */
    @Benchmark
    public double aucOfMetricsWindow(MetricsWindow w) {
        return Auc.of(w.scores, w.labels);
    }

    /** The same as it was done before: indices boxed and sorted by score, then ranks summed. */
    @Benchmark
    public double baselineAucOfMetricsWindowBoxedSort(MetricsWindow w) {
        double[] scores = w.scores;
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double meanRank = (i + j) / 2.0 + 1.0;
            for (int k = i; k <= j; k++) {
                if (w.labels[order[k]] >= 0.5) {
                    positiveRankSum += meanRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
