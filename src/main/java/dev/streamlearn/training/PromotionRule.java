package dev.streamlearn.training;

/**
 * When a challenger has beaten the champion: over the whole promotion window its mean loss was
 * lower by at least {@code margin} of the champion's, and by at least {@code stdErrors} standard
 * errors of the difference (taken over the window's blocks, {@link PairedLosses}). The margin
 * keeps a hair's difference from counting, however consistent; the standard errors keep noise
 * from counting, however large. Of several that won, the one that improved most.
 */
final class PromotionRule {

    private final double margin;
    private final double stdErrors;

    PromotionRule(double margin, double stdErrors) {
        this.margin = margin;
        this.stdErrors = stdErrors;
    }

    boolean wins(PairedLosses.Comparison c) {
        return c.improvement > 0 && c.relativeImprovement() >= margin && c.standardErrors() >= stdErrors;
    }

    /**
     * The challenger to promote: of the eligible ones that won, the one that improved most; -1
     * when none did. {@code comparisons[k]} is null for the champion.
     */
    int choose(PairedLosses.Comparison[] comparisons, boolean[] eligible) {
        int best = -1;
        for (int k = 0; k < comparisons.length; k++) {
            PairedLosses.Comparison c = comparisons[k];
            if (c != null && eligible[k] && wins(c) && (best < 0 || c.improvement > comparisons[best].improvement)) {
                best = k;
            }
        }
        return best;
    }
}
