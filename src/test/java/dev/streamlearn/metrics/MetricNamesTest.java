package dev.streamlearn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The registry is the one spelling of every metric: the Grafana dashboard queries only names it
 * holds, and the metrics table of docs/OPERATIONS.md is its {@link MetricNames#TABLE}. After changing the
 * table, write that file anew: {@code mvn test -Dtest=MetricNamesTest -Dreadme.write=true}.
 */
class MetricNamesTest {

    private static final Path DASHBOARD = Path.of("docs/monitoring/grafana/dashboards/streamlearn.json");
    private static final Pattern SERIES = Pattern.compile("flink_taskmanager_job_task_operator_([A-Za-z0-9_]+)");
    static final String TABLE_HEADER = "| metric | operator | meaning |\n|---|---|---|\n";

    /** Every name the registry declares. */
    private static Set<String> declared() throws IllegalAccessException {
        Set<String> names = new HashSet<>();
        for (Field f : MetricNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                names.add((String) f.get(null));
            }
        }
        return names;
    }

    @Test
    void theDashboardQueriesOnlyRegisteredMetrics() throws Exception {
        Set<String> declared = declared();
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        int series = 0;
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = SERIES.matcher(expr.asText());
            while (m.find()) {
                series++;
                // Prometheus joins the groups and the name with '_': model_modelVersion, reason_deadLetters
                for (String part : m.group(1).split("_", -1)) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    assertTrue(declared.contains(part), "'" + part + "' of " + m.group() + " is not in MetricNames");
                }
            }
        }
        assertTrue(series > 10, "the dashboard's queries were read: " + series);
    }

    @Test
    void theReadmeTableIsTheRegistrys() throws Exception {
        Path readme = Path.of("docs/OPERATIONS.md");
        String text = Files.readString(readme);
        StringBuilder expected = new StringBuilder(TABLE_HEADER);
        for (MetricNames.Row row : MetricNames.TABLE) {
            expected.append("| ")
                    .append(row.metric().replace("|", "\\|"))
                    .append(" | ")
                    .append(row.operator())
                    .append(" | ")
                    .append(row.meaning())
                    .append(" |\n");
        }
        int start = text.indexOf(TABLE_HEADER);
        assertTrue(start >= 0, "docs/OPERATIONS.md has no table that starts with\n" + TABLE_HEADER);
        int end = text.indexOf("\n\n", start) + 1;
        if (Boolean.getBoolean("readme.write")) {
            Files.writeString(readme, text.substring(0, start) + expected + text.substring(end));
            return;
        }
        assertEquals(expected.toString(), text.substring(start, end), "write it anew with -Dreadme.write=true");
    }

    @Test
    void aModelsMetricIsNamedInItsGroup() {
        assertEquals("model.ctr.modelVersion", MetricNames.ofModel("ctr", MetricNames.MODEL_VERSION));
        assertEquals("input.labeled.recordsIn", MetricNames.recordsIn("labeled"));
        assertFalse(MetricNames.TABLE.isEmpty());
    }
}
