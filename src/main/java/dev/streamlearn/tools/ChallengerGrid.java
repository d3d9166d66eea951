package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The section of docs/EVALUATION.md that sets the defaults (the automatic challengers) against
 * every setting of the space they span, each learnt alone: how far choosing by measurement, on
 * the live stream, is from having known the best setting beforehand. And switching between the
 * learners (serving the champion alone), measured beside the blend the job serves by default.
 */
final class ChallengerGrid {

    private ChallengerGrid() {}

    /** A stream of the report: its options for scripts/evaluate, and whether it is a time series. */
    record Stream(String name, String options, boolean series, boolean logistic) {}

    static final String HALF_LIVES = "0,30,100,300,1000,3000,10000";

    /** The section, each stream evaluated by {@code evaluate} (options to the last JSON line). */
    static String section(List<Stream> streams, Function<String, JsonNode> evaluate) {
        StringBuilder b = new StringBuilder("\n## Challengers: the defaults against the best single setting\n\n");
        b.append("Each stream with the defaults (`challengers auto`: the model's own learner, `forget` with"
                        + " `forget.half-life` 100 and `log` with every numeric feature through a log; for a time series"
                        + " `rls` instead of `log`), against every setting of the space those challengers span, each"
                        + " learnt alone (`--challengers none`): `forget.half-life` ")
                .append(HALF_LIVES.replace(",", ", "))
                .append(
                        ", each without and with `scale.log *` (a time series: with `--optimizer ftrl` and `rls`)."
                                + " Last 30 %: log loss, or MAE. The defaults serve the blend of the learners (`serve blend`);"
                                + " *switching* serves the champion alone (`--serve champion`), promoted as in the defaults.\n\n")
                .append(
                        "| stream | defaults | promotions | switching | one learner (`--challengers none`) | best single"
                                + " setting | its value | defaults / best |\n|---|---|---|---|---|---|---|---|\n");
        List<String> commands = new ArrayList<>();
        for (Stream s : streams) {
            String metric = s.logistic ? MetricNames.LOG_LOSS : MetricNames.MAE;
            String defaultsCommand = s.options + " --curve none";
            JsonNode defaults = evaluate.apply(defaultsCommand);
            commands.add("scripts/evaluate " + defaultsCommand);
            String switchingCommand = defaultsCommand + " --serve champion";
            JsonNode switching = evaluate.apply(switchingCommand);
            commands.add("scripts/evaluate " + switchingCommand);
            double best = Double.POSITIVE_INFINITY;
            String bestSetting = "";
            double alone = Double.NaN;
            for (String variant :
                    s.series ? List.of("--optimizer ftrl", "--optimizer rls") : List.of("", "--scale.log *")) {
                String command = (s.options + " --challengers none --curve none " + variant
                                + " --grid forget.half-life=" + HALF_LIVES)
                        .replace("  ", " ");
                commands.add("scripts/evaluate " + command.replace("*", "'*'"));
                for (JsonNode row : evaluate.apply(command).get("grid")) {
                    double v = row.get("tail").get(metric).asDouble();
                    String halfLife =
                            row.get("settings").get("forget.half-life").asText();
                    if (halfLife.equals("0") && (variant.isEmpty() || variant.equals("--optimizer ftrl"))) {
                        alone = v;
                    }
                    if (v < best) {
                        best = v;
                        bestSetting = ("forget.half-life " + halfLife + " " + variant.replace("--", "")).trim();
                    }
                }
            }
            double served = defaults.get("tail").get(metric).asDouble();
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | **%s** | %s | %s | %s | %s | %s | %.3f |%n",
                    s.name,
                    num(served),
                    promotions(defaults.get("promotions")),
                    num(switching.get("tail").get(metric).asDouble()),
                    num(alone),
                    bestSetting,
                    num(best),
                    served / best));
        }
        b.append("\nCommands, stream by stream (the defaults, then the grids):\n\n```bash\n");
        commands.forEach(c -> b.append(c).append('\n'));
        return b.append("```\n").toString();
    }

    private static String promotions(JsonNode promotions) {
        if (promotions.isEmpty()) {
            return "none";
        }
        List<String> each = new ArrayList<>();
        for (JsonNode p : promotions) {
            each.add(p.get("learner").asText() + " after "
                    + p.get("afterExamples").asLong());
        }
        return String.join(", ", each);
    }

    private static String num(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
