package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.streamlearn.Streamlearn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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

    /** A description is printed as written: an escape left in it (a backslash before a quote) shows as a backslash. */
    @Test
    void everyToolsHelpReadsAsWritten() throws Exception {
        List<String> helps = new ArrayList<>();
        for (JavaClass c : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.streamlearn.tools")) {
            if (c.isAnnotatedWith(CommandLine.Command.class)
                    && c.getPackageName().equals("dev.streamlearn.tools")) {
                CommandLine cli =
                        new CommandLine(c.reflect().getDeclaredConstructor().newInstance());
                helps.add(cli.getUsageMessage());
                cli.getSubcommands().values().forEach(sub -> helps.add(sub.getUsageMessage()));
            }
        }
        assertTrue(helps.size() > 20, helps.size() + " tools found");
        for (String help : helps) {
            assertFalse(help.contains("\\"), help);
        }
    }
}
