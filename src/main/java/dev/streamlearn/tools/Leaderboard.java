package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.evaluation.Scores;
import dev.streamlearn.evaluation.Summary;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The learners of an evaluated model side by side, as {@code scripts/status} shows those of a
 * running one: what was served and each learner's own scores, over the whole stream and its last
 * part; and the promotions.
 */
final class Leaderboard {

    private Leaderboard() {}

    /** Prints the board (unless {@code out} is null) and puts it into the run's JSON row. */
    static void report(PrintStream out, Scores served, Map<String, String> options, double tail, ObjectNode row) {
        ObjectNode learners = row.putObject("learners");
        if (out != null) {
            out.printf(Locale.ROOT, "learners (whole stream | last %.0f %%):%n", 100 * tail);
        }
        add(out, learners, "served", "", served, tail, Double.NaN);
        for (Map.Entry<String, Scores> l : served.learners().entrySet()) {
            String name = l.getKey();
            add(
                    out,
                    learners,
                    name,
                    options.getOrDefault(name, ""),
                    l.getValue(),
                    tail,
                    served.shares().get(name));
        }
        ArrayNode promotions = row.putArray("promotions");
        for (Scores.Promotion p : served.promotions()) {
            ObjectNode n = promotions.addObject();
            n.put("afterExamples", p.afterExamples());
            n.put("learner", p.learner());
            n.put("reason", p.reason());
        }
        ObjectNode updates = row.putObject("updates");
        updates.put("all", served.updates()[0]);
        updates.put("full", served.updates()[1]);
        if (out != null) {
            out.printf(
                    Locale.ROOT,
                    "updates to inference: %d, %d of them in full%n",
                    served.updates()[0],
                    served.updates()[1]);
            out.println("promotions: " + served.promotions().size());
            for (Scores.Promotion p : served.promotions()) {
                out.printf(Locale.ROOT, "  after %d examples: %s%n", p.afterExamples(), p.reason());
            }
        }
    }

    /** The learner served at the end of the run. */
    static String champion(Scores served) {
        return served.promotions().isEmpty()
                ? "default"
                : served.promotions().get(served.promotions().size() - 1).learner();
    }

    /** A row of the board; {@code share}: the learner's weight in what was served at the end (NaN: the served row). */
    private static void add(
            PrintStream out, ObjectNode learners, String name, String options, Scores s, double tail, double share) {
        Summary whole = Summary.of(s);
        Summary last = Summary.tail(s, tail);
        ObjectNode n = learners.putObject(name);
        if (!options.isEmpty()) {
            n.put("options", options);
        }
        if (!Double.isNaN(share)) {
            n.put("share", share);
        }
        Evaluate.put(n, whole);
        Evaluate.put(n.putObject("tail"), last);
        if (out != null) {
            out.printf(
                    Locale.ROOT,
                    "  %-10s %-26s %-11s %s | %s%n",
                    name,
                    options,
                    Double.isNaN(share) ? "" : String.format(Locale.ROOT, "serves %.2f", share),
                    Evaluate.tailText(whole),
                    Evaluate.tailText(last));
        }
    }
}
