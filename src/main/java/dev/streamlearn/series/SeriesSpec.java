package dev.streamlearn.series;

import dev.streamlearn.options.Option;
import dev.streamlearn.options.OptionType;
import dev.streamlearn.options.OptionValues;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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

    public static final Option<String> MODEL = Option.key("series.model", OptionType.STRING)
            .defaultValue("")
            .description("The model (squared loss, listed in `models`) that learns from the time series; empty: no"
                    + " time-series input.")
            .build();

    public static final Option<Integer> LAGS = Option.key("series.lags", OptionType.INT)
            .defaultValue(24)
            .rule(v -> v >= 1 && v <= 10_000, "must be in 1..10000")
            .description("The last k values of a series are features (`lag1`..`lagk`).")
            .build();

    /** Lags in steps, comma-separated, each 1..100000; {@code none} for none. */
    private static final OptionType<List<Integer>> STEPS = new OptionType<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public List<Integer> parse(String text) {
            if (text.trim().equals("none")) {
                return List.of();
            }
            List<Integer> lags = new ArrayList<>();
            for (String part : OptionType.NAMES.parse(text)) {
                try {
                    int lag = Integer.parseInt(part);
                    if (lag >= 1 && lag <= 100_000) {
                        lags.add(lag);
                        continue;
                    }
                } catch (NumberFormatException e) {
                    // said below
                }
                throw new IllegalArgumentException("has '" + part + "', which is not a lag in steps (1..100000)");
            }
            return List.copyOf(lags);
        }

        @Override
        public String format(List<Integer> value) {
            return value.isEmpty()
                    ? "none"
                    : value.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
    };

    public static final Option<List<Integer>> SEASONAL_LAGS = Option.key("series.seasonal-lags", STEPS)
            .defaultValue(List.of(24, 168))
            .description("Further lags in steps (for hourly data a day and a week ago: `season24`, `season168`);"
                    + " `none` for none. The first is the season of the seasonal-naive forecast.")
            .build();

    public static final Option<Long> STEP = Option.key("series.step", OptionType.LONG)
            .defaultValue(3_600_000L)
            .rule(v -> v >= 1, "must be >= 1")
            .description("The series' step in ms; forecasts are one step ahead.")
            .build();

    public static final Option<Long> LATENESS = Option.key("series.lateness", OptionType.LONG)
            .defaultValue(0L)
            .rule(v -> v >= 0, "must be >= 0")
            .description("A point older than its series' newest by more than this (ms) goes to the dead-letter topic"
                    + " (`late`); one within it is dropped and counted (`seriesLateWithinLateness`).")
            .build();

    public static final Option<GapPolicy> GAP_POLICY = Option.key(
                    "series.gap-policy", OptionType.oneOf(GapPolicy.class))
            .defaultValue(GapPolicy.FILL)
            .description("Missing steps: `fill` repeats the last value for each (up to the window length, else"
                    + " resets), `reset` forgets the window.")
            .build();

    public static final Option<Long> TTL = Option.key("series.ttl", OptionType.LONG)
            .defaultValue(7 * 24 * 3_600_000L)
            .rule(v -> v >= 1, "must be >= 1")
            .description("A series silent this long (ms of processing time) is dropped from state.")
            .build();

    public static final Option<Boolean> CALENDAR = Option.key("series.calendar", OptionType.BOOLEAN)
            .defaultValue(true)
            .description("Hour of day and day of week (UTC) of the forecast time as categorical features.")
            .build();

    public static final List<Option<?>> OPTIONS =
            List.of(MODEL, LAGS, SEASONAL_LAGS, STEP, LATENESS, GAP_POLICY, TTL, CALENDAR);

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

    /** The time-series settings of the options, for the model that learns from the series. */
    public static SeriesSpec from(OptionValues options, String modelId) {
        return new SeriesSpec(
                modelId,
                options.get(LAGS),
                options.get(SEASONAL_LAGS).stream().mapToInt(Integer::intValue).toArray(),
                options.get(STEP),
                options.get(LATENESS),
                options.get(GAP_POLICY),
                options.get(TTL),
                options.get(CALENDAR));
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
