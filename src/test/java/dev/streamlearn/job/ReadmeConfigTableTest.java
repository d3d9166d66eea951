package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.options.OptionTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is the options' declarations, row for row. After changing an
 * option, write it anew: {@code mvn test -Dtest=ReadmeConfigTableTest -Dreadme.write=true}.
 */
class ReadmeConfigTableTest {

    private static final Path README = Path.of("README.md");

    @Test
    void theTableIsTheDeclarations() throws Exception {
        String readme = Files.readString(README);
        int start = readme.indexOf(OptionTable.HEADER);
        assertTrue(start >= 0, "README.md has no table that starts with\n" + OptionTable.HEADER);
        int end = readme.indexOf("\n\n", start) + 1;
        String expected = OptionTable.of(JobConfig.OPTIONS);
        if (Boolean.getBoolean("readme.write")) {
            Files.writeString(README, readme.substring(0, start) + expected + readme.substring(end));
            return;
        }
        assertEquals(
                expected,
                readme.substring(start, end),
                "README.md's configuration table; write it anew with -Dreadme.write=true");
    }
}
