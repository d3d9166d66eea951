package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KafkaSenderProgressTest {

    private static String progress(boolean terminal) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        KafkaSender.Progress p =
                new KafkaSender.Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 3, false, terminal);
        for (int sent = 1; sent <= 3; sent++) {
            p.update(sent);
        }
        p.done();
        return bytes.toString(StandardCharsets.UTF_8).replaceAll(" +[0-9]+ events/s", " R events/s");
    }

    @Test
    void aLogGetsLinesWithoutCarriageReturns() {
        assertEquals("[##############################] 3/3 100% R events/s" + System.lineSeparator(), progress(false));
    }

    @Test
    void aTerminalGetsOneBarRedrawnInPlace() {
        assertEquals("\r[##############################] 3/3 100% R events/s" + System.lineSeparator(), progress(true));
    }
}
