package dev.streamlearn.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.job.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docker-compose.yml creates the job's topics and runs Flink on the repository's own config file. */
class DockerComposeConfigTest {

    @Test
    void theTopicsServiceCreatesEveryTopicOfTheJob() throws Exception {
        String compose = Files.readString(Path.of("docker-compose.yml"));
        Matcher m = Pattern.compile("for t in ([a-z -]+); do").matcher(compose);
        assertTrue(m.find(), "the topics loop");
        assertEquals(
                Arrays.stream(Topic.values()).map(t -> t.defaultName).collect(Collectors.toList()),
                List.of(m.group(1).trim().split(" ")));
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
