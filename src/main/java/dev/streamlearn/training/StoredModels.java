package dev.streamlearn.training;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.StoredModel;
import java.util.List;

/** A model's current version as a stored model: its champion's weights and the figures of its record. */
final class StoredModels {

    private StoredModels() {}

    /**
     * The current version of {@code t}, with the prequential metrics at this point; or, when it is
     * the version a rollback to {@code rolledBackTo} made, with that version's: they describe its
     * weights, where the window still holds the scores of the model it replaced (a "previous
     * better" rollback compares versions by them).
     */
    static StoredModel of(
            ModelTrainer t, VersionLine versions, TrainingProgress progress, long nowMillis, StoredModel rolledBackTo) {
        ModelSpec spec = t.spec();
        Loss loss = spec.loss();
        StoredModel m = new StoredModel();
        m.modelId = spec.id;
        m.version = versions.version();
        m.parentVersion = versions.parent();
        m.createdAtMillis = nowMillis;
        m.examplesTrained = progress.examplesTrained;
        m.batchesApplied = progress.batchesApplied;
        m.eventTimeThrough = progress.eventTimeThrough;
        m.offsetsThrough = progress.trainedOffsets.clone();
        Contender champion = t.contest().champion();
        m.loss = loss;
        m.optimizer = champion.spec.optimizer();
        m.hashBits = spec.hashBits();
        m.learner = champion.name();
        m.learnerOptions = champion.spec.learnerOverrides();
        m.frozen = t.frozen();
        m.state = champion.learner.state();
        if (rolledBackTo != null && versions.parent() == rolledBackTo.version) {
            m.metricNames = rolledBackTo.metricNames.clone();
            m.metricValues = rolledBackTo.metricValues.clone();
            return m;
        }
        List<ModelMetric> measures =
                ModelMetric.qualityOf(loss, t.forecastMetrics().seen() > 0);
        m.metricNames = new String[measures.size()];
        m.metricValues = new double[measures.size()];
        for (int i = 0; i < measures.size(); i++) {
            m.metricNames[i] = measures.get(i).metricName();
            m.metricValues[i] = measures.get(i).read(t);
        }
        return m;
    }
}
