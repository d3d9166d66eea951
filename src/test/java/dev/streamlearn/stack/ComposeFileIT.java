package dev.streamlearn.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml passes docker-compose's own validation (scripts/check-compose unpacks Debian's docker-compose;
 * an integration test because it downloads packages). Skipped, with the reason, where the tool cannot be fetched.
 */
class ComposeFileIT {

    @Test
    void composeFileValidates() throws Exception {
        Scripts.Result r = Scripts.run(Scripts.env(), "check-compose");
        Assumptions.assumeTrue(r.exit != 77, () -> "not checked on this machine: " + r.err.strip());
        assertEquals(0, r.exit, r.out + r.err);
        assertTrue(r.out.contains("docker-compose.yml is valid"), r.out);
    }
}
