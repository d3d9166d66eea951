package dev.streamlearn.training;

import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.testing.FlippingExamples;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** Tests of model {@code m}'s trainers on a stream whose meaning flips ({@link FlippingExamples}), fed as the Flink adapter feeds them. */
abstract class FlippingStreamTest {

    static final int FLIP_AT = 2000;

    @TempDir
    Path dir;

    final FlippingExamples stream = new FlippingExamples(FLIP_AT);
    long now;

    /** The trainers of the spec, on the heap, their store in the test's folder. */
    ModelTrainers trainers(ModelSpec spec) {
        return ModelTrainers.onHeap(
                Map.of(spec.id, spec), new ModelStore(dir.toUri().toString()), ModelStore::readFile);
    }

    /** Learns n examples as the Flink adapter does, a millisecond apart. */
    void learn(ModelTrainers trainers, int n, CollectedOutput out) throws Exception {
        for (int k = 0; k < n; k++) {
            ModelTrainer t = trainers.trainer("m", now, out);
            if (trainers.learn(t, stream.next(), now++, out)) {
                trainers.applyBatch(t, now, out);
            }
        }
    }
}
