package dev.streamlearn.series;

import java.io.Serializable;
import java.util.Locale;

/** How time series are turned into examples and forecast requests. */
public final class SeriesSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What to do when points are missing between two observations. */
    public enum GapPolicy {
        /** Repeat the last value for each missing step (up to the window length), so lags stay aligned. */
        FILL,
        /** Forget the history and learn again once the window has filled. */
        RESET;

        /** The name in options: {@code fill}, {@code reset}. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public final String modelId;
    public final int lags;
    public final int[] seasonalLags;
    public final long stepMillis;
    public final long latenessMillis;
    public final GapPolicy gapPolicy;
    public final long ttlMillis;
    public final boolean calendar;
    private transient String[] lagNames;
    private transient String[] seasonalNames;

    public SeriesSpec(
            String modelId,
            int lags,
            int[] seasonalLags,
            long stepMillis,
            long latenessMillis,
            GapPolicy gapPolicy,
            long ttlMillis,
            boolean calendar) {
        this.modelId = modelId;
        this.lags = lags;
        this.seasonalLags = seasonalLags.clone();
        this.stepMillis = stepMillis;
        this.latenessMillis = latenessMillis;
        this.gapPolicy = gapPolicy;
        this.ttlMillis = ttlMillis;
        this.calendar = calendar;
    }

    /** Feature name of the k-th lag (1-based), built once rather than per point. */
    public String lagName(int k) {
        if (lagNames == null) {
            String[] names = new String[lags + 1];
            for (int i = 1; i <= lags; i++) {
                names[i] = "lag" + i;
            }
            lagNames = names;
        }
        return lagNames[k];
    }

    /** Feature name of the i-th seasonal lag (0-based). */
    public String seasonalName(int i) {
        if (seasonalNames == null) {
            String[] names = new String[seasonalLags.length];
            for (int j = 0; j < names.length; j++) {
                names[j] = "season" + seasonalLags[j];
            }
            seasonalNames = names;
        }
        return seasonalNames[i];
    }

    /** Values a series must keep: the longest lag. */
    public int window() {
        int w = lags;
        for (int s : seasonalLags) {
            w = Math.max(w, s);
        }
        return w;
    }

    /** The seasonal-naive forecast's season: the first seasonal lag, else one step. */
    public int season() {
        return seasonalLags.length > 0 ? seasonalLags[0] : 1;
    }
}
