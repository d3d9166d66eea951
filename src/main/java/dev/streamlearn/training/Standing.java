package dev.streamlearn.training;

/** A challenger's standing against the champion at the last check, as the leaderboard shows it. */
final class Standing {
    final double relativeImprovement;
    final double standardErrors;

    Standing(PairedLosses.Comparison c) {
        this.relativeImprovement = c.relativeImprovement();
        this.standardErrors = c.standardErrors();
    }
}
