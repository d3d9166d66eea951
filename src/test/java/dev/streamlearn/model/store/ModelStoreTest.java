package dev.streamlearn.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.training.ModelTrainer;
import java.nio.file.Files;
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

    @Test
    void aStoredVersionIsNeverReplaced() throws Exception {
        ModelStore store = new ModelStore(dir.toUri().toString());
        StoredModel first = new ModelTrainer(ModelSpec.builder("m").build()).store(1L);
        assertEquals(ModelStore.Publication.PUBLISHED, store.publish(store.writePending(first, "a"), "m", 0));
        StoredModel other = new ModelTrainer(ModelSpec.builder("m").build()).store(2L); // another model, version 0
        Path pending = store.writePending(other, "b");
        assertEquals(ModelStore.Publication.REFUSED_EXISTS, store.publish(pending, "m", 0));
        assertEquals(1L, store.read("m", 0).createdAtMillis, "the stored version is the first one");
        assertTrue(
                Files.exists(dir.resolve(ModelStore.REFUSED_DIR).resolve(pending.getName())),
                "the refused file is set aside, not lost");
        assertEquals(List.of(0L), store.versions("m"));
        assertEquals(List.of("m"), store.models(), "the set-aside folder is not a model");
    }

    @Test
    void versionsWaitingForTheirCheckpointAreClaimed() throws Exception {
        ModelStore store = new ModelStore(dir.toUri().toString());
        assertEquals(-1, store.newestClaimed("m"));
        StoredModel v0 = new ModelTrainer(ModelSpec.builder("m").build()).store(1L);
        store.publish(store.writePending(v0, "a"), "m", 0);
        assertEquals(0, store.newestClaimed("m"));
        StoredModel v7 = new ModelTrainer(ModelSpec.builder("m").build()).store(1L);
        v7.version = 7;
        store.writePending(v7, "writer-1"); // written for a checkpoint, not committed yet
        StoredModel otherModel = new ModelTrainer(ModelSpec.builder("m-2").build()).store(1L);
        otherModel.version = 9;
        store.writePending(otherModel, "writer-1");
        assertEquals(7, store.newestClaimed("m"), "a restore may still commit version 7");
        assertEquals(9, store.newestClaimed("m-2"));
        assertEquals(List.of(0L), store.versions("m"), "only published versions can be read");
    }

    @Test
    void versionsServedBeyondThoseStoredAreClaimedAndClaimsOnlyGrow() throws Exception {
        ModelStore store = new ModelStore(dir.toUri().toString());
        StoredModel v3 = new ModelTrainer(ModelSpec.builder("m").build()).store(1L);
        v3.version = 3;
        store.publish(store.writePending(v3, "a"), "m", 3);
        store.claim("m", 9);
        assertEquals(9, store.newestClaimed("m"));
        store.claim("m", 5);
        assertEquals(9, store.newestClaimed("m"), "a lower claim changes nothing");
        store.claim("m", 12);
        assertEquals(12, store.newestClaimed("m"));
        assertEquals(-1, store.newestClaimed("m-2"), "claims are per model");
        assertEquals(List.of("m"), store.models(), "claims are not a model");
        assertEquals(List.of(3L), store.versions("m"), "a claim is no version to read");
    }
}
