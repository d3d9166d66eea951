package dev.streamlearn.training;

import java.util.Locale;

/** A challenger that beat the champion, and by how much. */
final class ContestVerdict {
    final int challenger;
    final String name;
    final PairedLosses.Comparison comparison;
    final int window;

    ContestVerdict(int challenger, String name, PairedLosses.Comparison comparison, int window) {
        this.challenger = challenger;
        this.name = name;
        this.comparison = comparison;
        this.window = window;
    }

    String reason(String champion) {
        return String.format(
                Locale.ROOT,
                "challenger '%s' beat '%s' over the last %d examples: mean loss %.4g against %.4g, %.1f%% lower,"
                        + " %.1f standard errors",
                name,
                champion,
                window,
                comparison.championLoss - comparison.improvement,
                comparison.championLoss,
                100 * comparison.relativeImprovement(),
                comparison.standardErrors());
    }
}
