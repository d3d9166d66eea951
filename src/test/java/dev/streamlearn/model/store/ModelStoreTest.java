package dev.streamlearn.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.training.ModelTrainer;
import java.util.List;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void aCommitRepeatedAfterARestoreIsDoneEvenWhenRetentionRemovedTheVersionSince() throws Exception {
        ModelStore store = new ModelStore(dir.toUri().toString());
        ModelTrainer trainer = new ModelTrainer(ModelSpec.builder("m").build());
        StoredModel v0 = trainer.store(1L);
        Path pending = store.writePending(v0, "a");
        store.publish(pending, "m", v0.version);
        assertEquals(List.of(v0.version), store.versions("m"));
        store.publish(pending, "m", v0.version); // the same commit again: nothing to do
        assertEquals(List.of(v0.version), store.versions("m"));

        store.pathOf("m", v0.version).getFileSystem().delete(store.pathOf("m", v0.version), false); // retention
        store.publish(pending, "m", v0.version); // after a restore: committed long ago, then removed
        assertEquals(List.of(), store.versions("m"));
    }
}
