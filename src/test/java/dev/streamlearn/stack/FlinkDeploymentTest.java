package dev.streamlearn.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.streamlearn.job.JobConfig;
import dev.streamlearn.job.KafkaOptions;
import dev.streamlearn.job.LearningJob;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production manifest (docs/kubernetes/streamlearn.yaml) as the Flink Kubernetes Operator and
 * the job will read it: its structure against the operator's CRD schema (from the operator's API
 * jar), its Flink settings against flink-conf/config.yaml, its arguments against {@link JobConfig}.
 */
class FlinkDeploymentTest {

    private static final Path MANIFEST = Path.of("docs/kubernetes/streamlearn.yaml");
    private static final String CRD = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * The newest operator API served to this build (1.10.0) knows Flink up to v1_20; running Flink
     * 2.2 takes operator 1.13 or later, whose enum has v2_2. Only this one value is checked apart.
     */
    private static final String FLINK_VERSION = "v2_2";

    /** Settings of flink-conf that the operator sets itself (addresses, ports) or takes from the resources. */
    private static final Set<String> SET_BY_THE_OPERATOR = Set.of(
            "jobmanager.rpc.address",
            "jobmanager.bind-host",
            "taskmanager.bind-host",
            "taskmanager.host",
            "rest.address",
            "rest.bind-address",
            "rest.port",
            "jobmanager.memory.process.size",
            "taskmanager.memory.process.size");

    @Test
    void theManifestFitsTheOperatorsSchema() throws Exception {
        JsonNode manifest = manifest();
        assertEquals(FLINK_VERSION, manifest.at("/spec/flinkVersion").asText());
        ((ObjectNode) manifest.get("spec")).remove("flinkVersion");
        assertEquals(List.of(), problems(manifest));
        assertEquals("FlinkDeployment", manifest.get("kind").asText());
        assertEquals("savepoint", manifest.at("/spec/job/upgradeMode").asText());
    }

    @Test
    void theSchemaCheckFindsWhatIsWrong() throws Exception {
        JsonNode bad = manifest();
        ((ObjectNode) bad.at("/spec/job")).put("upgradeMode", "last-good");
        ((ObjectNode) bad.at("/spec/job")).put("parallelizm", 2);
        ((ObjectNode) bad.at("/spec/flinkConfiguration")).put("web.submit.enable", false);
        ((ObjectNode) bad.get("spec")).remove("flinkVersion");
        assertEquals(
                List.of(
                        "/spec/flinkConfiguration/web.submit.enable: a boolean where a string is due",
                        "/spec/job/upgradeMode: 'last-good' is none of [\"last-state\",\"savepoint\",\"stateless\"]",
                        "/spec/job/parallelizm: not a field of the schema"),
                problems(bad));
    }

    @Test
    void theFlinkSettingsAreThoseOfFlinkConf() throws Exception {
        JsonNode deployment = manifest().get("spec");
        JsonNode conf = YAML.readTree(Path.of("flink-conf/config.yaml").toFile());
        JsonNode given = deployment.get("flinkConfiguration");
        for (Iterator<Map.Entry<String, JsonNode>> it = conf.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!SET_BY_THE_OPERATOR.contains(e.getKey())) {
                assertTrue(given.has(e.getKey()), "flinkConfiguration lacks " + e.getKey());
                assertEquals(e.getValue().asText(), given.get(e.getKey()).asText(), e.getKey());
            }
        }
        assertEquals(
                conf.get("jobmanager.memory.process.size").asText(),
                deployment.at("/jobManager/resource/memory").asText());
        assertEquals(
                conf.get("taskmanager.memory.process.size").asText(),
                deployment.at("/taskManager/resource/memory").asText());
    }

    @Test
    void theJobArgumentsAreAValidConfiguration(@TempDir Path dir) throws Exception {
        JsonNode job = manifest().at("/spec/job");
        assertEquals(LearningJob.class.getName(), job.get("entryClass").asText());
        List<String> args = new ArrayList<>();
        job.get("args").forEach(a -> args.add(a.asText()));
        // the Secret's file is not here: a valid stand-in where the manifest mounts it
        int file = args.indexOf("--" + KafkaOptions.PROPERTIES_FILE.key) + 1;
        assertTrue(file > 0, "the manifest hands the job a Kafka client properties file: " + args);
        Path standIn = Files.writeString(dir.resolve("client.properties"), "security.protocol=SASL_SSL\n");
        args.set(file, standIn.toString());
        JobConfig config = JobConfig.fromArgs(args.toArray(new String[0]));
        assertEquals("SASL_SSL", config.kafkaClientProperties().getProperty("security.protocol"));
        int slots = manifest()
                .at("/spec/flinkConfiguration/taskmanager.numberOfTaskSlots")
                .asInt();
        int parallelism = job.get("parallelism").asInt();
        assertEquals(0, parallelism % slots, "whole TaskManagers: " + parallelism + " on " + slots + " slots each");
        assertTrue(parallelism / slots >= 2, "the manifest runs several TaskManagers: " + parallelism / slots);
    }

    @Test
    void theGatewayFrontsTheJobsModelsWithItsImageAndKafkaSettings() throws Exception {
        List<JsonNode> docs = YAML.readerFor(JsonNode.class)
                .<JsonNode>readValues(MANIFEST.toFile())
                .readAll();
        JsonNode job = docs.get(0).get("spec");
        JsonNode deployment = docs.stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("a Deployment of the gateway"));
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertEquals(job.get("image").asText(), container.get("image").asText(), "the job's image");
        assertTrue(container.get("command").toString().contains("dev.streamlearn.tools.GatewayTool"));
        List<String> jobArgs = new ArrayList<>();
        job.at("/job/args").forEach(a -> jobArgs.add(a.asText()));
        List<String> gatewayArgs = new ArrayList<>();
        container.get("args").forEach(a -> gatewayArgs.add(a.asText()));
        for (String option : List.of("--models", "--kafka.bootstrap-servers", "--kafka.properties-file")) {
            assertEquals(
                    jobArgs.get(jobArgs.indexOf(option) + 1),
                    gatewayArgs.get(gatewayArgs.indexOf(option) + 1),
                    option + " as the job's");
        }
        assertEquals(
                "http://" + docs.get(0).at("/metadata/name").asText() + "-rest:8081",
                gatewayArgs.get(gatewayArgs.indexOf("--url") + 1),
                "the operator's REST service of the job");
        JsonNode service = docs.stream()
                .filter(d -> d.path("kind").asText().equals("Service"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("a Service of the gateway"));
        assertEquals(deployment.at("/spec/selector/matchLabels"), service.at("/spec/selector"));
        assertEquals(8090, service.at("/spec/ports/0/port").asInt());
        assertTrue(Files.readString(MANIFEST.resolveSibling("Dockerfile")).contains("streamlearn-tools.jar"));
    }

    private static JsonNode manifest() throws Exception {
        return YAML.readTree(MANIFEST.toFile());
    }

    /**
     * What the API server would refuse in {@code resource}: its type as the CRD names it, and
     * everything but the metadata (Kubernetes' own) against the CRD's schema.
     */
    private static List<String> problems(JsonNode resource) throws Exception {
        JsonNode crd;
        try (InputStream in = FlinkDeploymentTest.class.getClassLoader().getResourceAsStream(CRD)) {
            assertTrue(in != null, CRD + " is on the test classpath (flink-kubernetes-operator-api)");
            crd = YAML.readTree(in);
        }
        List<String> problems = new ArrayList<>();
        String apiVersion = crd.at("/spec/group").asText() + "/"
                + crd.at("/spec/versions/0/name").asText();
        if (!resource.path("apiVersion").asText().equals(apiVersion)) {
            problems.add("/apiVersion: not " + apiVersion);
        }
        if (!resource.path("kind").asText().equals(crd.at("/spec/names/kind").asText())) {
            problems.add("/kind: not " + crd.at("/spec/names/kind").asText());
        }
        if (!resource.at("/metadata/name").isTextual()) {
            problems.add("/metadata: lacks a name");
        }
        ObjectNode rest = resource.deepCopy();
        rest.remove(List.of("apiVersion", "kind", "metadata"));
        validate(rest, crd.at("/spec/versions/0/schema/openAPIV3Schema"), "", problems);
        return problems;
    }

    /** Structural validation against an OpenAPI v3 schema as Kubernetes applies it to a custom resource. */
    private static void validate(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                problems.add(path + ": neither a whole number nor a string");
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object":
                if (!value.isObject()) {
                    problems.add(path + ": " + kind(value) + " where an object is due");
                    return;
                }
                for (Iterator<Map.Entry<String, JsonNode>> it =
                                value.properties().iterator();
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    String at = path + "/" + field.getKey();
                    JsonNode properties = schema.path("properties");
                    if (properties.has(field.getKey())) {
                        validate(field.getValue(), properties.get(field.getKey()), at, problems);
                    } else if (schema.path("additionalProperties").isObject()) {
                        validate(field.getValue(), schema.get("additionalProperties"), at, problems);
                    } else if (!schema.path("x-kubernetes-preserve-unknown-fields")
                            .asBoolean()) {
                        problems.add(at + ": not a field of the schema");
                    }
                }
                schema.path("required").forEach(r -> {
                    if (!value.has(r.asText())) {
                        problems.add(path + ": lacks the required " + r.asText());
                    }
                });
                return;
            case "array":
                if (!value.isArray()) {
                    problems.add(path + ": " + kind(value) + " where a list is due");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    validate(value.get(i), schema.get("items"), path + "/" + i, problems);
                }
                return;
            case "string":
                if (!value.isTextual()) {
                    problems.add(path + ": " + kind(value) + " where a string is due");
                } else if (schema.has("enum") && !contains(schema.get("enum"), value)) {
                    problems.add(path + ": '" + value.asText() + "' is none of " + schema.get("enum"));
                }
                return;
            case "integer":
                if (!value.isIntegralNumber()) {
                    problems.add(path + ": " + kind(value) + " where a whole number is due");
                }
                return;
            case "number":
                if (!value.isNumber()) {
                    problems.add(path + ": " + kind(value) + " where a number is due");
                }
                return;
            case "boolean":
                if (!value.isBoolean()) {
                    problems.add(path + ": " + kind(value) + " where true or false is due");
                }
                return;
            default:
                // no type: anything (x-kubernetes-preserve-unknown-fields)
        }
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode v : values) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String kind(JsonNode value) {
        return value instanceof TextNode
                ? "a string"
                : "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
