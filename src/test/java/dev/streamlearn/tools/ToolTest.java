package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.Streamlearn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ToolTest {

    @Test
    void everyToolAndSubcommandPrintsTheProjectsVersion() {
        for (String[] args : new String[][] {{"-V"}, {"list", "--version"}}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = Tool.run(
                    new ModelStoreTool(),
                    args,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(0, status);
            assertEquals(
                    "streamlearn " + Streamlearn.VERSION,
                    out.toString(StandardCharsets.UTF_8).strip());
        }
    }
}
