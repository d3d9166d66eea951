package dev.streamlearn.options;

import java.util.List;

/** Options as the rows of a Markdown table: key, default, who sets it, meaning. The README's table is this. */
public final class OptionTable {

    public static final String HEADER = "| key | default | set for | meaning |\n|---|---|---|---|\n";

    private OptionTable() {}

    public static String of(List<Option<?>> options) {
        StringBuilder b = new StringBuilder(HEADER);
        for (Option<?> o : options) {
            b.append("| `")
                    .append(o.key)
                    .append("` | ")
                    .append(o.defaultText())
                    .append(" | ")
                    .append(scope(o.scope))
                    .append(" | ")
                    .append(o.description.replace("|", "\\|"))
                    .append(" |\n");
        }
        return b.toString();
    }

    private static String scope(Option.Scope scope) {
        switch (scope) {
            case MODEL:
                return "model, challenger";
            case MODEL_NOT_CHALLENGER:
                return "model";
            default:
                return "job";
        }
    }
}
