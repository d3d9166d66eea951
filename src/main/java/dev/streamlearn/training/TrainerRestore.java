package dev.streamlearn.training;

import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.StoredModel;

/** Trainers that continue from something kept: a checkpoint's snapshot, or a model file. */
public final class TrainerRestore {

    private TrainerRestore() {}

    /** A trainer that starts from a model file (for instance a batch model trained offline) instead of zeros. */
    public static ModelTrainer fromModelFile(ModelSpec spec, StoredModel initial) {
        return fromModelFile(spec, initial, new HeapRecentVersions(spec.get(ModelOptions.STORE_RECENT)));
    }

    static ModelTrainer fromModelFile(ModelSpec spec, StoredModel initial, RecentVersions recent) {
        Contest contest = Contest.of(spec);
        contest.load(initial, spec);
        return new ModelTrainer(spec, new VersionLine(initial.version, initial.parentVersion), recent, contest);
    }

    /**
     * Rebuilds a trainer from a snapshot. The next update is a full one, so that inference
     * converges on these weights whatever it held before.
     */
    public static ModelTrainer fromSnapshot(ModelSpec spec, ModelSnapshot s) {
        return fromSnapshot(spec, s, new HeapRecentVersions(spec.get(ModelOptions.STORE_RECENT)));
    }

    static ModelTrainer fromSnapshot(ModelSpec spec, ModelSnapshot s, RecentVersions recent) {
        if (s.state == null) {
            // checkpointed before models kept their scaling (its weights are of unscaled features): the model
            // learns anew, as the version after the checkpointed one, so no version number names two models
            ModelTrainer fresh = new ModelTrainer(spec, recent);
            fresh.continueAfter(s.version, false);
            return fresh;
        }
        if (s.dimension != spec.dimension()) {
            throw new IllegalStateException("model '" + spec.id + "' was snapshotted with dimension " + s.dimension
                    + " but is configured with " + spec.dimension() + " (hash.bits or crosses changed?)");
        }
        ModelTrainer t = new ModelTrainer(spec, VersionLine.readFrom(s), recent, ContestRestore.restore(spec, s));
        t.readFrom(s);
        return t;
    }
}
