package dev.streamlearn.series;

import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.ingest.ValidatingParser;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.SeriesPoint;
import dev.streamlearn.records.flink.DeadLetterCounters;
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
    private final int deadLetterPayloadChars;
    private transient ValueState<SeriesState> state;
    private transient SeriesForecaster forecaster;
    private transient Counter lateDropped;
    private transient Counter gapsFilled;
    private transient Counter windowResets;
    private transient DeadLetterCounters deadLetters;

    public SeriesFunction(SeriesSpec spec, int hashBits, String topic, InputLimits limits) {
        this.spec = spec;
        this.hashBits = hashBits;
        this.topic = topic;
        this.deadLetterPayloadChars = limits.deadLetterPayloadChars;
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
        forecaster = new SeriesForecaster(spec, hashBits);
        lateDropped = getRuntimeContext().getMetricGroup().counter(MetricNames.SERIES_LATE_WITHIN_LATENESS);
        gapsFilled = getRuntimeContext().getMetricGroup().counter(MetricNames.SERIES_GAP_STEPS_FILLED);
        windowResets = getRuntimeContext().getMetricGroup().counter(MetricNames.SERIES_WINDOW_RESETS);
        deadLetters = new DeadLetterCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(SeriesPoint p, Context ctx, Collector<Example> out) throws Exception {
        SeriesState s = state.value();
        if (s == null) {
            s = forecaster.newState();
        }
        if (forecaster.accept(s, p, new SeriesForecaster.Output() {
            @Override
            public void example(Example example) {
                out.collect(example);
            }

            @Override
            public void forecastRequest(PredictionRequest request) {
                ctx.output(FORECAST_REQUESTS, request);
            }

            @Override
            public void late(SeriesPoint point, long behindMillis) {
                ctx.output(
                        ValidatingParser.DEAD_LETTERS,
                        deadLetters.count(new DeadLetter(
                                DeadLetterReason.LATE,
                                "point at " + point.ts
                                        + " is " + behindMillis + " ms older than the newest of series '" + point.series
                                        + "' (lateness " + spec.latenessMillis + " ms)",
                                topic,
                                point.toJson(),
                                deadLetterPayloadChars)));
            }

            @Override
            public void lateWithinLateness(SeriesPoint point) {
                lateDropped.inc();
            }

            @Override
            public void gapFilled(long steps) {
                gapsFilled.inc(steps);
            }

            @Override
            public void windowReset() {
                windowResets.inc();
            }
        })) {
            state.update(s);
        }
    }
}
