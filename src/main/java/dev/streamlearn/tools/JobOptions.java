package dev.streamlearn.tools;

import dev.streamlearn.job.JobConfig;
import dev.streamlearn.model.ModelOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's own options on a tool's command line: the {@code --KEY VALUE} pairs picocli leaves
 * unmatched, validated as the job validates them, for one model.
 */
final class JobOptions {

    private JobOptions() {}

    /** The options for {@code model}, given pairs first. */
    static Map<String, String> forModel(String model, Map<String, String> given, List<String> unmatched) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(ModelOptions.MODELS.key, model);
        options.putAll(given);
        for (int i = 0; i < unmatched.size(); i++) {
            String key = unmatched.get(i);
            if (!key.startsWith("--") || i + 1 >= unmatched.size()) {
                throw new IllegalArgumentException(
                        "unexpected argument '" + key + "' (job options are --KEY VALUE; see --help)");
            }
            options.put(key.substring(2), unmatched.get(++i));
        }
        return options;
    }

    /** The job configuration of the options, without Kafka. */
    static JobConfig config(Map<String, String> options) {
        return JobConfig.withoutKafka(options);
    }
}
