package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.control.ControlCommand;
import dev.streamlearn.ingest.Example;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.testing.Specs;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class TrainerFunctionTest {

    private static final int BIAS = 256;

    private static KeyedTwoInputStreamOperatorTestHarness<String, Example, ControlCommand, ModelUpdate> harness(
            ModelSpec spec) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new TrainerFunction(Map.of(spec.id, spec))),
                e -> e.modelId, c -> c.modelId, Types.STRING);
    }

    private static Example example(int i) {
        return new Example("m", "e" + i, i, i % 3 == 0 ? 1 : 0, 1.0, new int[] {BIAS, i % 7}, new double[] {1, 1});
    }

    private static List<Long> versions(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ModelUpdate> h) {
        return h.extractOutputValues().stream().map(u -> u.version).collect(Collectors.toList());
    }

    @Test
    void closesBatchesBySizeAndNumbersVersionsFromOne() throws Exception {
        try (var h = harness(Specs.logistic("m", 3, 10_000))) {
            h.open();
            for (int i = 0; i < 10; i++) {
                h.processElement1(example(i), i);
            }
            assertEquals(List.of(1L, 2L, 3L), versions(h), "10 examples in batches of 3: 3 batches, 1 left open");
            List<ModelUpdate> updates = h.extractOutputValues();
            assertTrue(updates.get(0).full);
            assertFalse(updates.get(1).full);
            assertEquals(1L, updates.get(1).baseVersion);
        }
    }

    @Test
    void closesBatchesByTime() throws Exception {
        try (var h = harness(Specs.logistic("m", 100, 50))) {
            h.open();
            h.setProcessingTime(1000);
            h.processElement1(example(1), 1);
            h.setProcessingTime(1030);
            h.processElement1(example(2), 2);
            h.setProcessingTime(1049);
            assertEquals(List.of(), versions(h));
            h.setProcessingTime(1050);
            assertEquals(List.of(1L), versions(h), "closed 50 ms after its first example");
            assertEquals(1030, h.extractOutputValues().get(0).newestExampleMillis);
            h.setProcessingTime(2000);
            assertEquals(List.of(1L), versions(h), "no examples, no version");
        }
    }

    @Test
    void frozenModelMakesNoVersionsUntilResumed() throws Exception {
        try (var h = harness(Specs.logistic("m", 1, 10_000))) {
            h.open();
            h.processElement1(example(1), 1);
            h.processElement2(new ControlCommand(ControlCommand.Op.FREEZE, "m"), 2);
            h.processElement1(example(2), 3);
            h.processElement1(example(3), 4);
            assertEquals(List.of(1L), versions(h));
            h.processElement2(new ControlCommand(ControlCommand.Op.RESUME, "m"), 5);
            h.processElement1(example(4), 6);
            assertEquals(List.of(1L, 2L), versions(h));
        }
    }

    @Test
    void restoreContinuesTheVersionSequenceWithIdenticalWeights() throws Exception {
        ModelSpec spec = Specs.logistic("m", 4, 10_000);
        OperatorSubtaskState snapshot;
        List<ModelUpdate> uninterrupted;
        try (var h = harness(spec)) {
            h.open();
            for (int i = 0; i < 30; i++) {
                h.processElement1(example(i), i);
            }
            uninterrupted = h.extractOutputValues();
        }
        try (var before = harness(spec)) {
            before.open();
            for (int i = 0; i < 14; i++) { // 3 batches and 2 examples in the open one
                before.processElement1(example(i), i);
            }
            assertEquals(List.of(1L, 2L, 3L), versions(before));
            snapshot = before.snapshot(1L, 100L);
        }
        try (var after = harness(spec)) {
            after.initializeState(snapshot);
            after.open();
            for (int i = 14; i < 30; i++) {
                after.processElement1(example(i), i);
            }
            List<ModelUpdate> resumed = after.extractOutputValues();
            assertEquals(List.of(4L, 5L, 6L, 7L), versions(after));
            assertTrue(resumed.get(0).full, "first update after a restore is full");
            ModelUpdate lastResumed = resumed.get(resumed.size() - 1);
            ModelUpdate lastUninterrupted = uninterrupted.get(uninterrupted.size() - 1);
            assertEquals(lastUninterrupted.version, lastResumed.version);
            assertArrayEquals(lastUninterrupted.indices, lastResumed.indices);
            assertArrayEquals(lastUninterrupted.values, lastResumed.values, 0.0);
        }
    }
}
