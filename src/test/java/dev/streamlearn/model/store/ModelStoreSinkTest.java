package dev.streamlearn.model.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.testing.Await;
import dev.streamlearn.training.ModelTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model store's writer: versions written as they come, handed over whole when a checkpoint starts. */
class ModelStoreSinkTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void everyVersionThatArrivedBeforeTheCheckpointIsHandedOverWritten() throws Exception {
        ModelStore store = new ModelStore(dir.toUri().toString());
        ModelTrainer trainer = new ModelTrainer(ModelSpec.builder("m").build());
        StoredModel first = trainer.store(1L);
        StoredModel second = trainer.store(2L);
        second.version = first.version + 1;
        try (CommittingSinkWriter<StoredModel, ModelStoreSink.PendingVersion> writer = writer(store)) {
            writer.write(first, null);
            writer.write(second, null);
            List<ModelStoreSink.PendingVersion> pending = List.copyOf(writer.prepareCommit());

            assertEquals(
                    List.of(first.version, second.version),
                    pending.stream().map(p -> p.version).toList());
            for (ModelStoreSink.PendingVersion p : pending) {
                assertEquals(ModelStore.Publication.PUBLISHED, store.publish(new Path(p.pendingPath), "m", p.version));
                assertEquals(p.version, store.read("m", p.version).version, "the file holds its version whole");
            }
            assertEquals(List.of(), List.copyOf(writer.prepareCommit()), "each version is handed over once");
        }
    }

    @Test
    void aVersionWrittenAheadOfItsCheckpointIsNotClaimedUntilTheCheckpointStarts() throws Exception {
        ModelStore store = new ModelStore(dir.toUri().toString());
        StoredModel v7 = new ModelTrainer(ModelSpec.builder("m").build()).store(1L);
        v7.version = 7;
        try (CommittingSinkWriter<StoredModel, ModelStoreSink.PendingVersion> writer = writer(store)) {
            writer.write(v7, null);
            java.nio.file.Path staging = dir.resolve(ModelStore.STAGING_DIR);
            Await.until("the version's file written ahead", Duration.ofSeconds(30), () -> filesIn(staging) == 1);
            // a restore before this checkpoint starts must not continue after a version no checkpoint carries
            assertEquals(-1, store.newestClaimed("m"));
            writer.prepareCommit();
            assertEquals(7, store.newestClaimed("m"), "pending once the checkpoint that carries it has started");
        }
    }

    @Test
    void aFileThatCannotBeWrittenFailsTheCheckpointThatWouldHaveCarriedIt() throws Exception {
        java.nio.file.Path notAFolder = Files.writeString(dir.resolve("store"), "a file where the store should be");
        ModelStore store = new ModelStore(notAFolder.toUri().toString());
        try (CommittingSinkWriter<StoredModel, ModelStoreSink.PendingVersion> writer = writer(store)) {
            writer.write(new ModelTrainer(ModelSpec.builder("m").build()).store(1L), null);
            IOException e = assertThrows(IOException.class, writer::prepareCommit);
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "says why: " + e);
        }
    }

    private static long filesIn(java.nio.file.Path folder) {
        if (!Files.exists(folder)) {
            return 0;
        }
        try (Stream<java.nio.file.Path> files = Files.list(folder)) {
            return files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked") // the sink's writer is a committing one: it implements SupportsCommitter
    private static CommittingSinkWriter<StoredModel, ModelStoreSink.PendingVersion> writer(ModelStore store) {
        return (CommittingSinkWriter<StoredModel, ModelStoreSink.PendingVersion>)
                new ModelStoreSink(store, 10, 0).createWriter(null);
    }
}
