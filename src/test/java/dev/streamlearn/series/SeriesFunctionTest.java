package dev.streamlearn.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.ingest.ValidatingParser;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.SeriesPoint;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SeriesFunctionTest {

    private static final FeatureHasher HASHER = new FeatureHasher(8);

    private static KeyedOneInputStreamOperatorTestHarness<String, SeriesPoint, Example> harness(SeriesSpec spec)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SeriesFunction(spec, 8, "series", InputLimits.defaults())),
                p -> p.series,
                Types.STRING);
    }

    private static SeriesSpec spec(SeriesSpec.GapPolicy gaps, long lateness, long ttl) {
        return new SeriesSpec("load", 2, new int[0], 1000, lateness, gaps, ttl, false);
    }

    private static double value(Example e, String feature) {
        int index = HASHER.numericIndex(feature);
        for (int k = 0; k < e.features.numeric.length; k++) {
            if (e.features.numeric[k] == index) {
                return e.features.numericValues[k];
            }
        }
        return 0.0;
    }

    private static List<PredictionRequest> requests(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h) {
        return h.getSideOutput(SeriesFunction.FORECAST_REQUESTS).stream()
                .map(r -> r.getValue())
                .collect(Collectors.toList());
    }

    @Test
    void eachPointIsAnExampleFromTheLagsBeforeItAndAForecastRequestForTheNextStep() throws Exception {
        try (var h = harness(spec(SeriesSpec.GapPolicy.FILL, 0, 3_600_000))) {
            h.open();
            h.processElement(new SeriesPoint("a", 0, 10), 0);
            h.processElement(new SeriesPoint("a", 1000, 20), 0);
            assertEquals(0, h.extractOutputValues().size(), "two values: no lags before the second yet");
            PredictionRequest forecast = requests(h).get(0);
            assertEquals("a", forecast.series);
            assertEquals(2000, forecast.ts);
            assertEquals(15.0, forecast.scale.mean, 1e-12);
            assertEquals(Math.sqrt(50), forecast.scale.std, 1e-12);

            h.processElement(new SeriesPoint("a", 2000, 30), 0);
            Example e = h.extractOutputValues().get(0);
            double sd = Math.sqrt(50);
            assertEquals((30 - 15) / sd, e.label, 1e-12, "label standardized with the scale before it");
            assertEquals((20 - 15) / sd, value(e, "lag1"), 1e-12);
            assertEquals((10 - 15) / sd, value(e, "lag2"), 1e-12);
            assertEquals("load", e.modelId);
            assertEquals(2000, e.ts);
            assertEquals(0, e.features.categorical.length, "no calendar features configured");
        }
    }

    @Test
    void aGapIsFilledWithTheLastValueOrResetsTheWindow() throws Exception {
        try (var fill = harness(spec(SeriesSpec.GapPolicy.FILL, 0, 3_600_000));
                var reset = harness(spec(SeriesSpec.GapPolicy.RESET, 0, 3_600_000))) {
            fill.open();
            reset.open();
            for (var h : List.of(fill, reset)) {
                h.processElement(new SeriesPoint("a", 0, 10), 0);
                h.processElement(new SeriesPoint("a", 1000, 20), 0);
                h.processElement(new SeriesPoint("a", 3000, 40), 0); // the point at 2000 is missing
            }
            Example filled = fill.extractOutputValues().get(0);
            // the window was 20 (filled at 2000) and 20: both lags are the last value
            assertEquals(value(filled, "lag1"), value(filled, "lag2"), 1e-12);
            assertEquals(0, reset.extractOutputValues().size(), "reset: the lags start again");
        }
    }

    @Test
    void latePointsGoToDeadLettersBeyondTheLatenessAndAreDroppedWithinIt() throws Exception {
        try (var h = harness(spec(SeriesSpec.GapPolicy.FILL, 1500, 3_600_000))) {
            h.open();
            h.processElement(new SeriesPoint("a", 5000, 1), 0);
            h.processElement(new SeriesPoint("a", 4000, 2), 0); // 1000 ms late: within
            h.processElement(new SeriesPoint("a", 1000, 3), 0); // 4000 ms late: dead letter
            List<DeadLetter> dead = h.getSideOutput(ValidatingParser.DEAD_LETTERS).stream()
                    .map(r -> r.getValue())
                    .collect(Collectors.toList());
            assertEquals(1, dead.size());
            assertEquals("late", dead.get(0).reason);
            assertTrue(dead.get(0).payload.contains("\"ts\":1000"), dead.get(0).payload);
        }
    }

    @Test
    void aSilentSeriesIsDroppedAfterTheTtl() throws Exception {
        try (var h = harness(spec(SeriesSpec.GapPolicy.FILL, 0, 10_000))) {
            h.open();
            h.setStateTtlProcessingTime(0);
            h.processElement(new SeriesPoint("a", 0, 10), 0);
            h.processElement(new SeriesPoint("a", 1000, 20), 0);
            assertEquals(1, h.numKeyedStateEntries());
            h.setStateTtlProcessingTime(20_000);
            h.processElement(new SeriesPoint("a", 2000, 30), 0);
            assertEquals(0, h.extractOutputValues().size(), "the window was dropped: no lags before 30");
        }
    }

    @Test
    void aRestoredWindowContinuesAsIfNeverStopped() throws Exception {
        SeriesSpec spec = spec(SeriesSpec.GapPolicy.FILL, 0, 3_600_000);
        double[] values = {3, 1, 4, 1, 5, 9, 2, 6};
        Example uninterrupted;
        try (var h = harness(spec)) {
            h.open();
            for (int i = 0; i < values.length; i++) {
                h.processElement(new SeriesPoint("a", i * 1000L, values[i]), 0);
            }
            List<Example> out = h.extractOutputValues();
            uninterrupted = out.get(out.size() - 1);
        }
        OperatorSubtaskState snapshot;
        try (var h = harness(spec)) {
            h.open();
            for (int i = 0; i < values.length - 1; i++) {
                h.processElement(new SeriesPoint("a", i * 1000L, values[i]), 0);
            }
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(spec)) {
            h.initializeState(snapshot);
            h.open();
            int last = values.length - 1;
            h.processElement(new SeriesPoint("a", last * 1000L, values[last]), 0);
            Example resumed = h.extractOutputValues().get(0);
            assertEquals(uninterrupted.label, resumed.label, 0.0);
            assertArrayEquals(uninterrupted.features.numeric, resumed.features.numeric);
            assertArrayEquals(uninterrupted.features.numericValues, resumed.features.numericValues, 0.0);
        }
    }
}
