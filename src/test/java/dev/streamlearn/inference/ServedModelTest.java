package dev.streamlearn.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.features.NumericScaler;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ChallengerList;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.testing.Specs;
import dev.streamlearn.training.LinearScorer;
import dev.streamlearn.training.ModelTrainer;
import dev.streamlearn.training.ModelTrainers;
import dev.streamlearn.training.Scaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Inference serves exactly the model the trainer has at each version: weights and scaling, by deltas and in full. */
class ServedModelTest {

    @Test
    void aRequestScoredByVersionVGetsTheScoreTheTrainerGivesItWithV() {
        ModelSpec logistic = Specs.logistic("m", 5, 1000).toBuilder()
                .set(ModelOptions.FULL_UPDATE_EVERY, 7)
                .set(ModelOptions.SCALE_LOG, List.of("count"))
                .build();
        ModelSpec squared = Specs.squared("m", ModelSpec.OptimizerKind.FTRL).toBuilder()
                .set(ModelOptions.BATCH_SIZE, 5)
                .set(ModelOptions.FULL_UPDATE_EVERY, 7)
                .build();
        ModelSpec leastSquares = squared.toBuilder()
                .set(ModelOptions.OPTIMIZER, ModelSpec.OptimizerKind.RLS)
                .set(ModelOptions.L2, 1.0)
                .build();
        for (ModelSpec spec : List.of(logistic, squared, leastSquares)) {
            ModelTrainer trainer = new ModelTrainer(spec);
            NumericScaler empty = Scaling.newScaler(spec);
            ServedModel served = new ServedModel("m", spec.dimension());
            Random r = new Random(17);
            int versions = 0;
            int deltas = 0;
            for (int i = 0; i < 500; i++) {
                Features f = features(r, spec);
                double label = spec.loss() == Loss.LOGISTIC ? (r.nextBoolean() ? 1 : 0) : 300 + 40 * r.nextGaussian();
                if (trainer.add(new Example("m", null, i, label, 1.0, f), i)) {
                    ModelUpdate u = trainer.applyBatch();
                    assertTrue(served.accepts(u));
                    served.apply(u, empty);
                    versions++;
                    deltas += u.full ? 0 : 1;
                    for (int k = 0; k < 5; k++) {
                        Features probe = features(r, spec);
                        assertEquals(
                                trainer.predict(probe),
                                LinearScorer.predict(
                                        spec.loss(), served.weights(), spec.biasIndex(), served.scaler(empty), probe),
                                0.0,
                                spec.optimizer() + " " + spec.loss() + " v" + u.version);
                    }
                }
            }
            assertEquals(100, versions);
            assertTrue(deltas > 80, "mostly deltas: " + deltas);

            // what a checkpoint holds serves the same after a restore
            served.compact();
            ServedModel restored = new ServedModel("m", spec.dimension());
            restored.version = served.version;
            restored.indices = served.indices;
            restored.values = served.values;
            restored.scale = served.scale;
            Features probe = features(r, spec);
            assertEquals(
                    trainer.predict(probe),
                    LinearScorer.predict(
                            spec.loss(), restored.weights(), spec.biasIndex(), restored.scaler(empty), probe),
                    0.0);
        }
    }

    /** A promoted challenger log-transforms what the model's own options do not: inference serves its transform. */
    @Test
    void aPromotedLearnerIsServedWithItsOwnScaling() throws Exception {
        ModelSpec spec = Specs.logistic("m", 5, 1000).toBuilder()
                .set(ModelOptions.CHALLENGERS, ChallengerList.TYPE.parse("log:scale.log=*"))
                .build();
        ModelTrainers trainers = ModelTrainers.onHeap(Map.of("m", spec), null, uri -> null);
        List<ModelUpdate> updates = new ArrayList<>();
        ModelTrainers.Output out = new ModelTrainers.Output() {
            @Override
            public void update(ModelUpdate update) {
                updates.add(update);
            }

            @Override
            public void store(StoredModel version) {}

            @Override
            public void log(ModelLogEntry line) {}

            @Override
            public void refused(Example example) {}
        };
        ModelTrainer trainer = trainers.trainer("m", 0, out);
        NumericScaler empty = Scaling.newScaler(spec);
        ServedModel served = new ServedModel("m", spec.dimension());
        Random r = new Random(3);
        for (int i = 0; i < 300; i++) {
            if (trainers.learn(
                    trainer, new Example("m", null, i, r.nextBoolean() ? 1 : 0, 1.0, features(r, spec)), i, out)) {
                trainers.applyBatch(trainer, i, out);
            }
        }
        trainers.command(ControlCommand.promote("m", "log"), 300, out);
        assertEquals("log", trainer.champion());
        for (ModelUpdate u : updates) {
            if (served.accepts(u)) {
                served.apply(u, empty);
            }
        }
        assertEquals(trainer.version(), served.version);
        for (int k = 0; k < 20; k++) {
            Features probe = features(r, spec);
            assertEquals(
                    trainer.predict(probe),
                    LinearScorer.predict(spec.loss(), served.weights(), spec.biasIndex(), served.scaler(empty), probe),
                    0.0,
                    "the counts through a log, as the promoted learner reads them");
        }
    }

    private static Features features(Random r, ModelSpec spec) {
        int[] categorical = {r.nextInt(50), 50 + r.nextInt(50)};
        int count = new FeatureHasher(spec.hashBits()).numericIndex("count");
        return new Features(categorical, new int[] {count, 200 + r.nextInt(3)}, new double[] {
            Math.floor(Math.exp(5 * r.nextDouble())), 1e6 + 1e4 * r.nextGaussian()
        });
    }
}
