package dev.streamlearn.series;

import dev.streamlearn.features.FeaturesBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The features of a forecast for time {@code ts} from the values before it: the last k values
 * ({@code lag1..lagk}) and the seasonal lags ({@code season24}, ...), standardized with the
 * series' running mean and deviation so one model serves series of any scale, and optionally
 * the hour of day and day of week (UTC) of {@code ts}.
 */
public final class SeriesFeatures {

    private SeriesFeatures() {}

    /** Fills {@code out}; false when the window does not reach the longest lag yet. */
    public static boolean build(SeriesSpec spec, SeriesState state, long ts, FeaturesBuilder out) {
        if (state.filled < spec.window()) {
            return false;
        }
        out.reset();
        for (int k = 1; k <= spec.lags; k++) {
            out.numeric(spec.lagName(k), SeriesWindow.standardize(state, SeriesWindow.lag(state, k)));
        }
        for (int i = 0; i < spec.seasonalLags.length; i++) {
            out.numeric(
                    spec.seasonalName(i),
                    SeriesWindow.standardize(state, SeriesWindow.lag(state, spec.seasonalLags[i])));
        }
        if (spec.calendar) {
            ZonedDateTime t = Instant.ofEpochMilli(ts).atZone(ZoneOffset.UTC);
            out.categorical("hour", Integer.toString(t.getHour()));
            out.categorical("dow", Integer.toString(t.getDayOfWeek().getValue()));
        }
        return true;
    }
}
