package dev.streamlearn.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.features.ScalerState;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.SparseWeights;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.Prediction;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.testing.Specs;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

class InferenceFunctionTest {

    private static final ModelSpec SPEC = Specs.logistic("m", 10, 100);

    private static BroadcastOperatorTestHarness<PredictionRequest, ModelUpdate, Prediction> harness() throws Exception {
        return new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(
                        new InferenceFunction(Map.of("m", SPEC), "requests", 4096),
                        List.of(InferenceFunction.SERVED_MODELS)),
                1,
                1,
                0);
    }

    private static PredictionRequest request(String id) {
        return new PredictionRequest(id, "m", 1L, Features.categorical(1, 2));
    }

    private static ModelUpdate full(long version, double w1, double w2) {
        return new ModelUpdate(
                "m",
                version,
                version - 1,
                true,
                SparseWeights.of(new int[] {1, 2}, new double[] {w1, w2}),
                ScalerState.empty(),
                null,
                0L);
    }

    private static ModelUpdate delta(long version, long base, double w2) {
        return new ModelUpdate(
                "m",
                version,
                base,
                false,
                SparseWeights.of(new int[] {2}, new double[] {w2}),
                ScalerState.empty(),
                null,
                0L);
    }

    private static Prediction last(BroadcastOperatorTestHarness<?, ?, Prediction> h) {
        List<Prediction> out = h.extractOutputValues();
        return out.get(out.size() - 1);
    }

    private static double sigmoid(double m) {
        return 1 / (1 + Math.exp(-m));
    }

    @Test
    void answersVersionZeroBeforeAnyWeightsThenAppliesDeltasInOrder() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(request("r0"), 1);
            assertEquals(0L, last(h).modelVersion);
            assertEquals(0.5, last(h).score, "the all-zero model's prior");

            h.processBroadcastElement(full(1, 0.5, -0.25), 2);
            h.processElement(request("r1"), 3);
            assertEquals(1L, last(h).modelVersion);
            assertEquals(sigmoid(0.5 - 0.25), last(h).score, 1e-15);

            h.processBroadcastElement(delta(2, 1, 1.0), 4);
            h.processElement(request("r2"), 5);
            assertEquals(2L, last(h).modelVersion);
            assertEquals(sigmoid(0.5 + 1.0), last(h).score, 1e-15);
            assertEquals("r2", last(h).id);
        }
    }

    @Test
    void rejectsAGappedDeltaUntilTheNextFullUpdate() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processBroadcastElement(full(1, 0.5, 0.0), 1);
            h.processBroadcastElement(delta(3, 2, 9.0), 2); // version 2 never arrived
            h.processElement(request("r"), 3);
            assertEquals(1L, last(h).modelVersion);
            assertEquals(sigmoid(0.5), last(h).score, 1e-15);
            h.processBroadcastElement(delta(4, 3, 9.0), 4); // still based on the missing line
            h.processElement(request("r"), 5);
            assertEquals(1L, last(h).modelVersion);

            h.processBroadcastElement(full(5, 0.0, 1.0), 6);
            h.processElement(request("r"), 7);
            assertEquals(5L, last(h).modelVersion);
            assertEquals(sigmoid(1.0), last(h).score, 1e-15);
        }
    }

    @Test
    void restoredOperatorServesTheCheckpointedModelAtOnce() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processBroadcastElement(full(7, 0.25, 0.5), 1);
            h.processBroadcastElement(delta(8, 7, -0.5), 2);
            snapshot = h.snapshot(1L, 10L);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(request("after-restore"), 20);
            assertEquals(8L, last(restored).modelVersion);
            assertEquals(sigmoid(0.25 - 0.5), last(restored).score, 1e-15);
            // the line continues: the next delta applies on top of the restored version
            restored.processBroadcastElement(delta(9, 8, 0.0), 21);
            restored.processElement(request("r"), 22);
            assertEquals(9L, last(restored).modelVersion);
        }
    }
}
