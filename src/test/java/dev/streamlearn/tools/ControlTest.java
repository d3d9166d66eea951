package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.tools.Control.Op;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ControlTest {

    @Test
    void eachCommandIsTheJsonTheJobReadsWithTheIdItsAnswerCarries() {
        assertEquals(
                "{\"op\":\"rollback\",\"model\":\"ctr\",\"version\":42,\"id\":\"c\"}",
                Control.command(Op.ROLLBACK, "ctr", "42", false, "c"));
        assertEquals(
                "{\"op\":\"rollback\",\"model\":\"ctr\",\"to\":\"previous-better\",\"force\":true,\"id\":\"c\"}",
                Control.command(Op.ROLLBACK, "ctr", "previous-better", true, "c"));
        assertEquals(
                "{\"op\":\"promote\",\"model\":\"ctr\",\"to\":\"forget\",\"id\":\"c\"}",
                Control.command(Op.PROMOTE, "ctr", "forget", false, "c"));
        // a name is JSON-escaped, not pasted into the text
        assertEquals(
                "{\"op\":\"freeze\",\"model\":\"a\\\"b\",\"id\":\"c\"}",
                Control.command(Op.FREEZE, "a\"b", null, false, "c"));
    }

    @Test
    void aMisuseIsOneLineNamingWhatIsWrong() {
        assertEquals(
                "VERSION must be a whole number or previous-better, not 'v3'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Control.command(Op.ROLLBACK, "ctr", "v3", false, "c"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Control.command(Op.ROLLBACK, "ctr", null, false, "c"));
        assertThrows(IllegalArgumentException.class, () -> Control.command(Op.PROMOTE, "ctr", null, false, "c"));
        assertEquals(
                "pin takes MODEL alone, not 'x'",
                assertThrows(IllegalArgumentException.class, () -> Control.command(Op.PIN, "ctr", "x", false, "c"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Control.command(Op.FREEZE, "ctr", null, true, "c"));

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Control.run(
                new String[] {"explode", "ctr", "--bootstrap", "127.0.0.1:1"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("control: Invalid value for positional parameter"));
    }

    @Test
    void onlyTheLineCarryingTheCommandsIdAnswersIt() throws Exception {
        assertNull(Control.answerTo("c-1", "{\"event\":\"stored\",\"model\":\"ctr\",\"version\":5}"));
        assertNull(
                Control.answerTo(
                        "c-1", "{\"event\":\"rejected\",\"model\":\"ctr\",\"reason\":\"c-1\",\"command\":\"c-12\"}"),
                "an id that only contains it");
        String refused =
                "{\"event\":\"rejected\",\"model\":\"ctr\",\"version\":9,\"reason\":\"version 99 never existed\","
                        + "\"command\":\"c-1\",\"ts\":1}";
        assertEquals(
                "model ctr: refused: version 99 never existed", Control.describe(Control.answerTo("c-1", refused)));
        String done =
                "{\"event\":\"rollback\",\"model\":\"ctr\",\"version\":10,\"parentVersion\":4,\"learner\":\"log\","
                        + "\"command\":\"c-1\",\"ts\":1}";
        assertEquals("model ctr, version 10: rollback (learner log)", Control.describe(Control.answerTo("c-1", done)));
    }
}
