package dev.streamlearn.training;

import java.util.Arrays;

/**
 * The weights of a served blend of a model's learners: Hedge's exponential weights on each
 * learner's judged loss over about the last {@code window} examples (sums discounted by 1 -
 * 1/window), with the rate sqrt(8 ln K / window) of a horizon of one window. Losses are taken
 * relative to the best learner's mean loss, so that the mix does not depend on the unit of the
 * label (an error in euros or in cents weighs the same): a learner worse by 1 % over the window
 * keeps about a quarter of the best one's weight at a window of 2,000, one worse by 3 % a fiftieth.
 *
 * <p>The served mix changes only at the end of a block of the window, and only when it moved by
 * more than {@link #TOLERANCE} or its members changed, since every change re-sends every served
 * weight; for the same reason it changes at most once per rows / {@link #ROWS_PER_EXAMPLE}
 * examples, a model's rows being its weights. For the first window of examples (after the start or a rollback) the champion is served
 * alone: the others have not yet shown anything.
 */
final class BlendMix {

    /** A change of the mix smaller than this in every learner's weight is not worth re-sending the model. */
    static final double TOLERANCE = 0.05;
    /**
     * A mix change re-sends every weight of the model, each about as much work as learning one
     * coordinate of one example: it comes at most once per (rows / this) examples, so that the
     * re-sending costs at most this many weights per example learnt.
     */
    static final int ROWS_PER_EXAMPLE = 10;

    private final int window;
    private final int block;
    private final double decay;
    private final double eta;
    private final double[] sums;
    private double count;
    private long seen;
    private long sinceChange;
    private final double[] mix;
    private final boolean[] members;

    BlendMix(int learners, int window, int blocks) {
        this.window = window;
        this.block = window / blocks;
        this.decay = 1.0 - 1.0 / window;
        this.eta = Math.sqrt(8 * Math.log(Math.max(2, learners)) / window);
        this.sums = new double[learners];
        this.mix = new double[learners];
        this.members = new boolean[learners];
    }

    /**
     * Every learner's loss on the current example, judged before it learnt from it; true at the
     * end of a block. A learner that could not score the example is judged as the worst that could.
     */
    boolean judged(double[] losses) {
        double worst = Double.NaN;
        for (double l : losses) {
            if (Double.isFinite(l) && !(l <= worst)) {
                worst = l;
            }
        }
        if (Double.isNaN(worst)) {
            return false; // nobody could: the example tells nothing
        }
        for (int k = 0; k < sums.length; k++) {
            sums[k] = decay * sums[k] + (Double.isFinite(losses[k]) ? losses[k] : worst);
        }
        count = decay * count + 1;
        seen++;
        sinceChange++;
        return seen % block == 0;
    }

    /** The weight of a learner in the served blend. */
    double weight(int learner) {
        return mix[learner];
    }

    /** The served margin: the learners' margins (squared loss: predictions), weighted by the mix. */
    double blend(double[] margins) {
        double m = 0;
        for (int k = 0; k < mix.length; k++) {
            if (mix[k] != 0) {
                m += mix[k] * margins[k];
            }
        }
        return m;
    }

    /**
     * The mix from the losses so far, over the given members (the champion among them); adopted
     * when the members changed, or when it moved by more than the tolerance and the model's
     * {@code rows} allow a change. True when the served mix changed.
     */
    boolean refresh(boolean[] candidates, int champion, int rows) {
        boolean membersChanged = !Arrays.equals(candidates, members);
        double[] fresh = seen < window ? only(champion) : weights(candidates);
        if (!membersChanged
                && (maxChange(fresh) <= TOLERANCE || sinceChange < Math.max(block, rows / ROWS_PER_EXAMPLE))) {
            return false;
        }
        boolean moved = maxChange(fresh) > 0;
        System.arraycopy(fresh, 0, mix, 0, mix.length);
        System.arraycopy(candidates, 0, members, 0, members.length);
        if (moved) {
            sinceChange = 0;
        }
        return moved;
    }

    /** The champion alone, as after a rollback: the losses start anew. */
    void restart(int champion) {
        Arrays.fill(sums, 0);
        count = 0;
        seen = 0;
        sinceChange = 0;
        System.arraycopy(only(champion), 0, mix, 0, mix.length);
        Arrays.fill(members, false);
        members[champion] = true;
    }

    private double[] only(int champion) {
        double[] w = new double[mix.length];
        w[champion] = 1;
        return w;
    }

    /** The weights the losses so far give the candidates (what the mix would become). */
    double[] weights(boolean[] candidates) {
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k < sums.length; k++) {
            if (candidates[k]) {
                best = Math.min(best, sums[k]);
            }
        }
        double meanLoss = best / count;
        double[] w = new double[mix.length];
        double total = 0;
        for (int k = 0; k < sums.length; k++) {
            if (candidates[k]) {
                double behind = sums[k] - best;
                w[k] = behind == 0 ? 1 : meanLoss > 0 ? Math.exp(-eta * behind / meanLoss) : 0;
                total += w[k];
            }
        }
        for (int k = 0; k < w.length; k++) {
            w[k] /= total;
        }
        return w;
    }

    private double maxChange(double[] fresh) {
        double most = 0;
        for (int k = 0; k < mix.length; k++) {
            most = Math.max(most, Math.abs(fresh[k] - mix[k]));
        }
        return most;
    }

    /**
     * Its state, for a snapshot: per learner its loss sum, its weight and whether it is a member
     * (1 or 0), then the discounted count, the examples seen and those since the last change.
     */
    double[] state() {
        int n = mix.length;
        double[] s = new double[3 * n + 3];
        for (int k = 0; k < n; k++) {
            s[k] = sums[k];
            s[n + k] = mix[k];
            s[2 * n + k] = members[k] ? 1 : 0;
        }
        s[3 * n] = count;
        s[3 * n + 1] = seen;
        s[3 * n + 2] = sinceChange;
        return s;
    }

    /** Continues from a {@link #state()} of a blend of as many learners; false (and unchanged) when it does not fit. */
    boolean restore(double[] s) {
        int n = mix.length;
        if (s == null || s.length != 3 * n + 3) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            sums[k] = s[k];
            mix[k] = s[n + k];
            members[k] = s[2 * n + k] != 0;
        }
        count = s[3 * n];
        seen = (long) s[3 * n + 1];
        sinceChange = (long) s[3 * n + 2];
        return true;
    }
}
