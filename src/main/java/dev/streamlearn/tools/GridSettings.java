package dev.streamlearn.tools;

import dev.streamlearn.job.JobConfig;
import dev.streamlearn.options.OptionType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of an evaluation's {@code --grid KEY=V1,V2}: every combination of the values, each
 * with the job's configuration it makes. All are checked when made, before the first one runs: a
 * bad value found after an hour of the settings before it would waste that hour.
 */
record GridSettings(List<Map<String, String>> settings, List<JobConfig> configs) {

    /** Every combination of the grid's values over the given options; one setting (the options) without a grid. */
    static GridSettings of(List<String> grid, Map<String, String> options) {
        List<Map<String, String>> settings = new ArrayList<>();
        settings.add(new LinkedHashMap<>());
        for (String g : grid) {
            int eq = g.indexOf('=');
            if (eq <= 0 || eq == g.length() - 1) {
                throw new IllegalArgumentException("--grid wants KEY=V1,V2,..., got '" + g + "'");
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> s : settings) {
                for (String v : OptionType.NAMES.parse(g.substring(eq + 1))) {
                    Map<String, String> m = new LinkedHashMap<>(s);
                    m.put(g.substring(0, eq), v.trim());
                    next.add(m);
                }
            }
            settings = next;
        }
        List<JobConfig> configs = new ArrayList<>();
        for (Map<String, String> setting : settings) {
            Map<String, String> withSetting = new LinkedHashMap<>(options);
            withSetting.putAll(setting);
            configs.add(JobOptions.config(withSetting));
        }
        return new GridSettings(List.copyOf(settings), List.copyOf(configs));
    }

    int size() {
        return settings.size();
    }
}
