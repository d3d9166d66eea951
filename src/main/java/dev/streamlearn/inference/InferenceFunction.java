package dev.streamlearn.inference;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.streamlearn.features.NumericScaler;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.Forecast;
import dev.streamlearn.records.Impression;
import dev.streamlearn.records.Prediction;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.Stamps;
import dev.streamlearn.records.flink.DeadLetterCounters;
import dev.streamlearn.training.LinearScorer;
import dev.streamlearn.training.Scaling;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Scores requests with the newest weights this subtask has. Model updates arrive on a
 * broadcast stream and are kept in broadcast state, so a restored job serves at once. A delta
 * whose base version is not the served version is dropped and counted ({@code deltaGaps});
 * the model then waits for the next full update. A model with no weights yet answers as
 * version 0, the all-zero model (probability 0.5 for logistic loss, 0 for squared), or the
 * model's initial model file when one is configured.
 */
public class InferenceFunction extends BroadcastProcessFunction<PredictionRequest, ModelUpdate, Prediction>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    /** Per model and subtask: requests answered. */
    private static final int HISTOGRAM_WINDOW = 10_000;

    /** Forecasts for time-series requests, in the series' own scale. */
    public static final OutputTag<Forecast> FORECASTS =
            new OutputTag<>("forecasts", TypeInformation.of(Forecast.class));

    /** Requests the served model scored as NaN or infinite: answered on the dead-letter topic, never as a score. */
    public static final OutputTag<DeadLetter> NON_FINITE_SCORES =
            new OutputTag<>("non-finite-scores", TypeInformation.of(DeadLetter.class));

    /** Requests that asked to be remembered, with the score and version they were served, for the outcome joiner. */
    public static final OutputTag<Impression> IMPRESSIONS =
            new OutputTag<>("impressions", TypeInformation.of(Impression.class));

    public static final MapStateDescriptor<String, ServedModel> SERVED_MODELS =
            new MapStateDescriptor<>("served-models", Types.STRING, TypeInformation.of(ServedModel.class));

    private final Map<String, ModelSpec> specs;
    private final String requestsTopic;
    private final int deadLetterPayloadChars;
    private transient Map<String, PerModel> perModel;
    private transient Counter deltaGaps;
    private transient DeadLetterCounters deadLetters;
    private transient Counter updatesRefused;
    private transient Histogram scoringLatencyNanos;
    private transient Histogram parseNanos;
    private transient Histogram exchangeNanos;
    private transient Histogram sinkNanos;
    private transient Histogram freshnessMillis;
    /** The same objects as in broadcast state, to compact them before each snapshot. */
    private transient Map<String, ServedModel> changedSinceSnapshot;

    /** What a request needs besides the weights, found with one lookup. */
    private static final class PerModel {
        final Loss loss;
        final int bias;
        /** An empty scaler with the model's settings, to build served scalers from. */
        final NumericScaler emptyScaler;

        final Counter served;
        final Counter nonFiniteScores;
        final AtomicLong servedVersion = new AtomicLong();
        /** The model's initial model file, served until the trainer's first update arrives; or null. */
        final ServedModel initial;

        PerModel(ModelSpec spec, Counter served, Counter nonFiniteScores, ServedModel initial) {
            this.loss = spec.loss();
            this.bias = spec.biasIndex();
            this.emptyScaler = Scaling.newScaler(spec);
            this.served = served;
            this.nonFiniteScores = nonFiniteScores;
            this.initial = initial;
        }
    }

    /** @param requestsTopic where requests come from, for the dead letters of those that cannot be scored */
    public InferenceFunction(Map<String, ModelSpec> specs, String requestsTopic, int deadLetterPayloadChars) {
        this.specs = specs;
        this.requestsTopic = requestsTopic;
        this.deadLetterPayloadChars = deadLetterPayloadChars;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        changedSinceSnapshot = new HashMap<>();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // runs before the broadcast state is written, so the snapshot holds the sparse form
        changedSinceSnapshot.values().forEach(ServedModel::compact);
        changedSinceSnapshot.clear();
    }

    @Override
    public void open(OpenContext openContext) throws IOException {
        MetricGroup group = getRuntimeContext().getMetricGroup();
        deltaGaps = group.counter(MetricNames.DELTA_GAPS);
        deadLetters = new DeadLetterCounters(group);
        updatesRefused = group.counter(MetricNames.INFERENCE_UPDATES_REFUSED);
        scoringLatencyNanos = group.histogram(
                MetricNames.SCORING_LATENCY_NANOS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        parseNanos =
                group.histogram(MetricNames.REQUEST_PARSE_NANOS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        exchangeNanos = group.histogram(
                MetricNames.REQUEST_EXCHANGE_NANOS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        sinkNanos = group.histogram(
                MetricNames.PREDICTION_SINK_NANOS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        freshnessMillis =
                group.histogram(MetricNames.FRESHNESS_MILLIS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        perModel = new HashMap<>();
        for (ModelSpec spec : specs.values()) {
            MetricGroup modelGroup = group.addGroup(MetricNames.MODEL_GROUP, spec.id);
            PerModel m = new PerModel(
                    spec,
                    modelGroup.counter(MetricNames.PREDICTIONS_SERVED),
                    modelGroup.counter(MetricNames.SCORES_NON_FINITE),
                    spec.initialModel() == null ? null : ServedModel.of(ModelStore.readFile(spec.initialModel())));
            modelGroup.gauge(MetricNames.SERVED_VERSION, (Gauge<Long>) m.servedVersion::get);
            perModel.put(spec.id, m);
        }
    }

    @Override
    public void processElement(PredictionRequest request, ReadOnlyContext ctx, Collector<Prediction> out)
            throws Exception {
        long start = Stamps.now();
        long parsing = Stamps.since(request.stampedBy, request.readAtNanos, request.parsedAtNanos);
        if (parsing >= 0) {
            parseNanos.update(parsing);
            exchangeNanos.update(Stamps.since(request.stampedBy, request.parsedAtNanos, start));
        }
        ReadOnlyBroadcastState<String, ServedModel> models = ctx.getBroadcastState(SERVED_MODELS);
        PerModel m = perModel.get(request.modelId);
        ServedModel model = models.get(request.modelId);
        if (model == null) {
            model = m.initial;
        }
        long version = 0L;
        double margin = 0.0;
        double score;
        if (model == null) {
            score = m.loss.predict(margin);
        } else {
            // after a restore the version is first known here, not in open()
            m.servedVersion.lazySet(model.version);
            version = model.version;
            NumericScaler scaler = model.scaler(m.emptyScaler);
            margin = LinearScorer.margin(model.weights(), m.bias, scaler, request.features);
            score = LinearScorer.served(m.loss, scaler, model.calibration, margin);
        }
        if (!Double.isFinite(score)) {
            // cannot happen with a finite model and bounded inputs; if it does, no client gets "NaN" as a score
            m.nonFiniteScores.inc();
            DeadLetter d = new DeadLetter(
                    DeadLetterReason.NON_FINITE_SCORE,
                    "model '" + request.modelId + "' v" + version + " scored the request " + score,
                    requestsTopic,
                    "{\"id\":" + JsonNodeFactory.instance.textNode(request.id) + ",\"model\":"
                            + JsonNodeFactory.instance.textNode(request.modelId) + "}",
                    deadLetterPayloadChars);
            d.modelId = request.modelId;
            ctx.output(NON_FINITE_SCORES, deadLetters.count(d));
            return;
        }
        if (request.series != null) {
            scoringLatencyNanos.update(Stamps.now() - start);
            ctx.output(
                    FORECASTS,
                    new Forecast(request.series, request.ts, request.scale.toSeries(score), request.modelId, version));
        } else {
            Prediction prediction = new Prediction(request.id, request.modelId, version, score, request.ts);
            prediction.idIsNumber = request.idIsNumber;
            if (request.explained != null && model != null) {
                prediction.explanation = LinearScorer.explain(
                        model.weights(), m.bias, model.scaler(m.emptyScaler), request.features, request.explained);
                if (model.calibration != null) {
                    prediction.explanation.calibrationSlope = model.calibration.slope;
                    prediction.explanation.calibrationOffset = model.calibration.offset;
                }
            }
            long scored = Stamps.now();
            scoringLatencyNanos.update(scored - start);
            out.collect(prediction); // to the chained sink: serialized and handed to the Kafka producer
            sinkNanos.update(Stamps.now() - scored);
            if (request.impressionPayload != null) {
                ctx.output(IMPRESSIONS, Impression.of(request, score, margin, version));
            }
        }
        m.served.inc();
    }

    @Override
    public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<Prediction> out) throws Exception {
        BroadcastState<String, ServedModel> models = ctx.getBroadcastState(SERVED_MODELS);
        ServedModel model = models.get(update.modelId);
        if (model == null) {
            model = new ServedModel(update.modelId, specs.get(update.modelId).dimension());
        }
        if (update.version <= model.version && !(update.full && update.version == model.version)) {
            return; // an older version than served: a replay after restore, nothing to do
        }
        if (!update.isFinite()) {
            updatesRefused.inc(); // the trainer never sends one; if one came, the served version stays
            return;
        }
        if (!model.accepts(update)) {
            deltaGaps.inc();
            return;
        }
        model.apply(update, perModel.get(update.modelId).emptyScaler);
        models.put(update.modelId, model);
        changedSinceSnapshot.put(update.modelId, model);
        perModel.get(update.modelId).servedVersion.set(model.version);
        freshnessMillis.update(System.currentTimeMillis() - update.newestExampleMillis);
    }
}
