package dev.streamlearn.series;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.features.SparseVectorBuilder;
import dev.streamlearn.ingest.DeadLetter;
import dev.streamlearn.ingest.DeadLetterReason;
import dev.streamlearn.ingest.Example;
import dev.streamlearn.ingest.PredictionRequest;
import dev.streamlearn.ingest.ValidatingParser;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by series, on RocksDB: each point becomes a labeled example (its lags before it, its
 * standardized value as label) for the series model's trainer, and a forecast request for the
 * next step ({@link #FORECAST_REQUESTS}). Event time decides order: a point older than the newest
 * seen by more than the lateness goes to the dead-letter output, one within it is dropped and
 * counted; a gap is filled or resets the window ({@link SeriesSpec.GapPolicy}). A series silent
 * for longer than the TTL is dropped from state.
 */
public class SeriesFunction extends KeyedProcessFunction<String, SeriesPoint, Example> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<PredictionRequest> FORECAST_REQUESTS =
            new OutputTag<>("forecast-requests", TypeInformation.of(PredictionRequest.class));

    private final SeriesSpec spec;
    private final int hashBits;
    private final String topic;
    private transient ValueState<SeriesState> state;
    private transient SparseVectorBuilder features;
    private transient Counter lateDropped;
    private transient Counter gapsFilled;
    private transient Counter windowResets;

    public SeriesFunction(SeriesSpec spec, int hashBits, String topic) {
        this.spec = spec;
        this.hashBits = hashBits;
        this.topic = topic;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<SeriesState> descriptor =
                new ValueStateDescriptor<>("series-window", TypeInformation.of(SeriesState.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(spec.ttlMillis))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        state = getRuntimeContext().getState(descriptor);
        features = new SparseVectorBuilder(new FeatureHasher(hashBits));
        lateDropped = getRuntimeContext().getMetricGroup().counter("seriesLateWithinLateness");
        gapsFilled = getRuntimeContext().getMetricGroup().counter("seriesGapStepsFilled");
        windowResets = getRuntimeContext().getMetricGroup().counter("seriesWindowResets");
    }

    @Override
    public void processElement(SeriesPoint p, Context ctx, Collector<Example> out) throws Exception {
        SeriesState s = state.value();
        if (s == null) {
            s = new SeriesState(spec.window());
        }
        if (s.count > 0) {
            if (p.ts <= s.lastTs) {
                if (s.lastTs - p.ts > spec.latenessMillis) {
                    ctx.output(ValidatingParser.DEAD_LETTERS, new DeadLetter(DeadLetterReason.LATE,
                            "point at " + p.ts + " is " + (s.lastTs - p.ts) + " ms older than the newest of series '"
                                    + p.series + "' (lateness " + spec.latenessMillis + " ms)", topic,
                            "{\"series\":\"" + p.series + "\",\"ts\":" + p.ts + ",\"value\":" + p.value + "}"));
                } else {
                    lateDropped.inc();
                }
                return;
            }
            bridgeGap(s, p.ts);
        }
        if (SeriesFeatures.build(spec, s, p.ts, features)) {
            Example e = new Example(spec.modelId, p.series, p.ts, SeriesWindow.standardize(s, p.value), 1.0,
                    features.indices(), features.values());
            e.scaleMean = s.mean;
            e.scaleStd = SeriesWindow.std(s);
            e.baseline = SeriesWindow.lag(s, spec.season()); // the seasonal-naive forecast of this point
            out.collect(e);
        }
        SeriesWindow.append(s, p.value, p.ts);
        long next = p.ts + spec.stepMillis;
        if (SeriesFeatures.build(spec, s, next, features)) {
            PredictionRequest r = new PredictionRequest(p.series + "@" + next, spec.modelId, next, features.indices(),
                    features.values());
            r.series = p.series;
            r.scaleMean = s.mean;
            r.scaleStd = SeriesWindow.std(s);
            ctx.output(FORECAST_REQUESTS, r);
        }
        state.update(s);
    }

    private void bridgeGap(SeriesState s, long ts) {
        long missing = Math.round((double) (ts - s.lastTs) / spec.stepMillis) - 1;
        if (missing <= 0) {
            return;
        }
        if (spec.gapPolicy == SeriesSpec.GapPolicy.FILL && missing < s.history.length) {
            double last = SeriesWindow.lag(s, 1);
            for (long k = 1; k <= missing; k++) {
                SeriesWindow.append(s, last, s.lastTs + spec.stepMillis);
            }
            gapsFilled.inc(missing);
        } else {
            SeriesWindow.resetHistory(s);
            windowResets.inc();
        }
    }
}
