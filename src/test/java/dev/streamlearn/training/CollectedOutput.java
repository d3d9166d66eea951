package dev.streamlearn.training;

import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.Example;
import java.util.ArrayList;
import java.util.List;

/** What the trainers put out, as the Flink adapter would send it on; stored versions go to the store at once. */
final class CollectedOutput implements ModelTrainers.Output {
    final ModelStore store;
    final List<ModelUpdate> updates = new ArrayList<>();
    final List<ModelLogEntry> log = new ArrayList<>();
    final List<Example> refused = new ArrayList<>();

    CollectedOutput(ModelStore store) {
        this.store = store;
    }

    @Override
    public void update(ModelUpdate update) {
        updates.add(update);
    }

    @Override
    public void store(StoredModel version) {
        try {
            store.publish(store.writePending(version, "test"), version.modelId, version.version);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void log(ModelLogEntry line) {
        log.add(line);
    }

    @Override
    public void refused(Example example) {
        refused.add(example);
    }

    List<ModelLogEntry> lines(ModelLogEntry.Event event) {
        return log.stream().filter(l -> l.event == event).toList();
    }
}
