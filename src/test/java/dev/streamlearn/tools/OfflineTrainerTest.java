package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.training.ModelTrainer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineTrainerTest {

    @TempDir
    Path dir;

    @Test
    void aBatchModelIsNeverAVersionZeroOfAModelThatHasLearntOnline() throws Exception {
        ModelStore store = new ModelStore(dir.toUri().toString());
        StoredModel learnt = new ModelTrainer(ModelSpec.builder("bike").build()).store(1L);
        learnt.version = 175;
        learnt.parentVersion = 174;
        store.publish(store.writePending(learnt, "a"), "bike", 175);

        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> OfflineTrainer.run(
                        "--file", "src/data/bike_sharing/hour.csv",
                        "--format", "bike-sharing",
                        "--model", "bike",
                        "--limit", "200",
                        "--store", dir.toUri().toString()));
        assertTrue(
                refused.getMessage().startsWith("model 'bike' already has versions in the store (the newest 175)"),
                refused.getMessage());
        assertEquals(List.of(175L), store.versions("bike"), "nothing written");

        StoredModel batch = OfflineTrainer.run(
                "--file", "src/data/bike_sharing/hour.csv",
                "--format", "bike-sharing",
                "--model", "fresh",
                "--limit", "200",
                "--store", dir.toUri().toString());
        assertEquals(0, batch.version);
        assertEquals(List.of(0L), store.versions("fresh"), "a model without versions gets its batch model");
    }

    @Test
    void aFileWithNoEventsToFitIsRefusedInOneLine() throws Exception {
        java.nio.file.Path empty = dir.resolve("header-only.csv");
        java.nio.file.Files.writeString(empty, "clicked,site\n");
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> OfflineTrainer.run(
                        "--file",
                        empty.toString(),
                        "--label",
                        "clicked",
                        "--model",
                        "x",
                        "--store",
                        dir.toUri().toString()));
        assertEquals("no events to fit a model to in header-only.csv", refused.getMessage());
    }
}
