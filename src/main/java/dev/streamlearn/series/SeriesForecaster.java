package dev.streamlearn.series;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.features.FeaturesBuilder;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.SeriesPoint;
import dev.streamlearn.records.SeriesScale;

/**
 * What happens to one point of a series, in plain Java: the point, scored against the lags
 * before it, becomes a labeled example; it joins the window; and the window asks for the next
 * step's forecast. The Flink operator keeps the state per series and routes the results; the
 * evaluation tool calls the same code without a cluster.
 */
public final class SeriesForecaster {

    /** Where the results of one point go. */
    public interface Output {
        void example(Example example);

        void forecastRequest(PredictionRequest request);

        /** The point is older than the newest of its series by more than the lateness. */
        void late(SeriesPoint point, long behindMillis);

        /** The point is older than the newest, within the lateness: dropped. */
        void lateWithinLateness(SeriesPoint point);

        void gapFilled(long steps);

        void windowReset();
    }

    private final SeriesSpec spec;
    private final FeaturesBuilder features;

    public SeriesForecaster(SeriesSpec spec, int hashBits) {
        this.spec = spec;
        this.features = new FeaturesBuilder(new FeatureHasher(hashBits));
    }

    /** A new, empty state for a series. */
    public SeriesState newState() {
        return new SeriesState(spec.window());
    }

    /** Applies the point to the series' state; false when the point was late and the state is unchanged. */
    public boolean accept(SeriesState s, SeriesPoint p, Output out) {
        if (s.count > 0) {
            if (p.ts <= s.lastTs) {
                if (s.lastTs - p.ts > spec.latenessMillis) {
                    out.late(p, s.lastTs - p.ts);
                } else {
                    out.lateWithinLateness(p);
                }
                return false;
            }
            bridgeGap(s, p.ts, out);
        }
        if (SeriesFeatures.build(spec, s, p.ts, features)) {
            Example e = new Example(
                    spec.modelId, p.series, p.ts, SeriesWindow.standardize(s, p.value), 1.0, features.build());
            // with the seasonal-naive forecast of this point: the value one season before
            e.series = new SeriesScale(s.mean, SeriesWindow.std(s), SeriesWindow.lag(s, spec.season()));
            out.example(e);
        }
        SeriesWindow.append(s, p.value, p.ts);
        long next = p.ts + spec.stepMillis;
        if (SeriesFeatures.build(spec, s, next, features)) {
            PredictionRequest r = new PredictionRequest(p.series + "@" + next, spec.modelId, next, features.build());
            r.series = p.series;
            r.scale = new SeriesScale(s.mean, SeriesWindow.std(s), Double.NaN);
            out.forecastRequest(r);
        }
        return true;
    }

    private void bridgeGap(SeriesState s, long ts, Output out) {
        long missing = Math.round((double) (ts - s.lastTs) / spec.stepMillis) - 1;
        if (missing <= 0) {
            return;
        }
        if (spec.gapPolicy == SeriesSpec.GapPolicy.FILL && missing < s.history.length) {
            double last = SeriesWindow.lag(s, 1);
            for (long k = 1; k <= missing; k++) {
                SeriesWindow.append(s, last, s.lastTs + spec.stepMillis);
            }
            out.gapFilled(missing);
        } else {
            SeriesWindow.resetHistory(s);
            out.windowReset();
        }
    }
}
