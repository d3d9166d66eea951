package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.training.ModelTrainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreToolTest {

    @TempDir
    Path dir;

    @Test
    void aModelTheStoreDoesNotHaveIsAnErrorNamingTheModelsItHas() throws Exception {
        String uri = dir.toUri().toString();
        assertEquals("models: the store has no model 'ctr' (it has none yet)", errorOf("list", "--model", "ctr", uri));

        ModelStore store = new ModelStore(uri);
        for (String model : new String[] {"bike", "ctr"}) {
            StoredModel v0 = new ModelTrainer(ModelSpec.builder(model).build()).store(1L);
            store.publish(store.writePending(v0, "a"), model, v0.version);
        }
        assertEquals(
                "models: the store has no model 'crt' (models: bike, ctr)", errorOf("list", "--model", "crt", uri));
        assertEquals("models: the store has no model 'crt' (models: bike, ctr)", errorOf("show", "crt", "0", uri));
        assertEquals(
                "models: the store has no version 7 of 'ctr' (stored: [0])", errorOf("compare", "ctr", "0", "7", uri));
        assertEquals("", errorOf("list", "--model", "ctr", uri));
    }

    private static String errorOf(String... argsThenStore) {
        String[] args = new String[argsThenStore.length + 1];
        System.arraycopy(argsThenStore, 0, args, 0, argsThenStore.length - 1);
        args[args.length - 2] = "--store";
        args[args.length - 1] = argsThenStore[argsThenStore.length - 1];
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Tool.run(
                new ModelStoreTool(),
                args,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8).strip();
    }
}
