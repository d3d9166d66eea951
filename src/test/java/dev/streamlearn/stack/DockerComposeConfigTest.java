package dev.streamlearn.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** docker-compose.yml is valid for docker-compose and runs Flink on the repository's own config file. */
class DockerComposeConfigTest {

    @Test
    void composeFileValidates() throws Exception {
        Scripts.Result r = Scripts.run(Scripts.env(), "check-compose");
        Assumptions.assumeTrue(r.exit != 77, () -> "not checked on this machine: " + r.err.strip());
        assertEquals(0, r.exit, r.out + r.err);
        assertTrue(r.out.contains("docker-compose.yml is valid"), r.out);
    }

    @Test
    void theTopicsServiceCreatesEveryTopicOfTheJob() throws Exception {
        String compose = Files.readString(Path.of("docker-compose.yml"));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("for t in ([a-z -]+); do").matcher(compose);
        assertTrue(m.find(), "the topics loop");
        assertEquals(
                java.util.Arrays.stream(dev.streamlearn.job.Topic.values())
                        .map(t -> t.defaultName)
                        .collect(java.util.stream.Collectors.toList()),
                java.util.List.of(m.group(1).trim().split(" ")));
    }

    @Test
    void flinkServicesUseTheSharedConfigFile() throws Exception {
        String compose = Files.readString(Path.of("docker-compose.yml"));
        assertTrue(compose.contains("./flink-conf:/opt/streamlearn/flink-conf:ro"));
        assertTrue(compose.contains("cp /opt/streamlearn/flink-conf/config.yaml /opt/flink/conf/config.yaml"));
        assertTrue(compose.contains("image: flink:2.2-java17"));
        assertTrue(compose.contains("image: apache/kafka:"));
    }
}
