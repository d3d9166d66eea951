package dev.streamlearn.datasets;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every data file shipped in src/data is printable UTF-8: no control byte can sneak into an event id or feature. */
class ShippedDataTest {

    @Test
    void everyShippedFileIsPrintableUtf8() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("src/data"))) {
            files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
        assertTrue(files.size() >= 10, "the datasets are where they should be: " + files);
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            String text;
            try {
                text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                fail(f + " is not UTF-8: " + e.getMessage());
                return;
            }
            int line = 1;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n') {
                    line++;
                } else if (Character.isISOControl(c) && c != '\t' && c != '\r') {
                    fail(String.format("%s line %d has the control character U+%04X", f, line, (int) c));
                }
            }
        }
    }
}
