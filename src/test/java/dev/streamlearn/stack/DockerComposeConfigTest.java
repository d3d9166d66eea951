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

    @Test
    void theGatewayFrontsTheSubmittedJobsModelsOnLocalhostAndIsScraped() throws Exception {
        String compose = Files.readString(Path.of("docker-compose.yml"));
        Matcher submitted = Pattern.compile("\"/jars/streamlearn.jar\",[^]]*\"--models\", \"([^\"]+)\"")
                .matcher(compose);
        Matcher fronted =
                Pattern.compile("GatewayTool\"][^]]*\"--models\", \"([^\"]+)\"").matcher(compose);
        assertTrue(submitted.find() && fronted.find(), "the job's and the gateway's models");
        assertEquals(submitted.group(1), fronted.group(1), "the gateway checks requests with the job's models");
        assertTrue(compose.contains("\"127.0.0.1:8090:8090\""), "published on the host's loopback only");
        assertTrue(Files.readString(Path.of("docs/monitoring/prometheus.yml")).contains("\"gateway:8090\""));
    }

    @Test
    void prometheusScrapesTheReporterPortAndGrafanaShowsTheCheckedDashboard() throws Exception {
        String compose = Files.readString(Path.of("docker-compose.yml"));
        Matcher port =
                Pattern.compile("metrics\\.reporter\\.prom\\.port: (\\d+)").matcher(compose);
        assertTrue(port.find(), "the containers run the Prometheus reporter");
        String prometheus = Files.readString(Path.of("docs/monitoring/prometheus.yml"));
        assertTrue(prometheus.contains("\"jobmanager:" + port.group(1) + "\""), prometheus);
        assertTrue(prometheus.contains("\"taskmanager:" + port.group(1) + "\""), prometheus);
        // the dashboard PrometheusMetricsIT checks against the scraped series
        assertTrue(compose.contains("./docs/monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro"));
        assertTrue(Files.exists(Path.of("docs/monitoring/grafana/dashboards/streamlearn.json")));
        assertTrue(compose.contains("./docs/monitoring/grafana/provisioning:/etc/grafana/provisioning:ro"));
    }
}
