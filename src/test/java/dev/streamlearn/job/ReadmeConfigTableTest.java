package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists every option with its real default. */
class ReadmeConfigTableTest {

    @Test
    void everyOptionHasARowWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<ConfigOption<?>> options = new ArrayList<>(JobConfig.jobOptions());
        options.addAll(JobConfig.modelOptions());
        for (ConfigOption<?> o : options) {
            String defaultCell = o.hasDefaultValue() ? "`" + o.defaultValue() + "`" : "(required)";
            if (JobConfig.PER_OPTIMIZER_DEFAULTS.contains(o)) {
                defaultCell = "per optimizer: `" + perOptimizer(o) + "`";
            }
            String row = "| `" + o.key() + "` | " + defaultCell + " |";
            assertTrue(readme.contains(row), "README.md lacks the row " + row);
        }
    }

    private static String perOptimizer(ConfigOption<?> o) {
        List<String> parts = new ArrayList<>();
        for (ModelSpec.OptimizerKind k : ModelSpec.OptimizerKind.values()) {
            double v = o == JobConfig.L1 ? k.defaultL1 : o == JobConfig.L2 ? k.defaultL2 : k.defaultLearningRate;
            if (!Double.isNaN(v)) {
                parts.add(k + " " + v);
            }
        }
        return String.join(", ", parts);
    }
}
