package dev.streamlearn.training;

import dev.streamlearn.model.CoordinateTable;
import dev.streamlearn.model.SparseWeights;
import dev.streamlearn.model.TableColumns;
import java.util.List;

/**
 * What a model with challengers serves when it serves a blend: one weight vector, the learners'
 * weights averaged by their {@link BlendMix} weights. The members are the champion and every
 * learner whose weights mean what the champion's mean (the same features, the same transform; not
 * paused by its guard), since the blend is scored with the champion's scaling, as its margin is
 * the members' margins averaged. A pinned model, whose champion people chose, serves it alone.
 * Every learner of the shared table lists the rows it changes in one list, so that a delta carries
 * each changed row once, blended; a change of the mix re-sends every weight.
 */
final class ServedBlend {

    private final List<Contender> contenders;
    private final ChangedWeights changes;
    private final CoordinateTable table;
    private final TableColumns[] columns;
    private final BlendMix mix;
    private final double[] margins;
    private final double[] losses;
    private final double[] weights;
    private final boolean[] candidates;
    private boolean mixChanged;
    // pinned by people: the champion alone is served
    private boolean alone;

    ServedBlend(List<Contender> contenders, ChangedWeights changes, int window, int blocks) {
        this.contenders = contenders;
        this.changes = changes;
        int n = contenders.size();
        this.columns = new TableColumns[n];
        for (int k = 0; k < n; k++) {
            columns[k] = contenders.get(k).learner.columns();
        }
        this.table = columns[0].table();
        this.mix = new BlendMix(n, window, blocks);
        this.margins = new double[n];
        this.losses = new double[n];
        this.weights = new double[n];
        this.candidates = new boolean[n];
    }

    /** A learner scored the current example with this margin (squared loss: prediction) and was judged this loss. */
    void scored(int learner, double margin, double judgedLoss) {
        margins[learner] = margin;
        losses[learner] = judgedLoss;
    }

    /** What is served for the current example: the members' margins (squared loss: predictions), weighted by the mix. */
    double margin() {
        return mix.blend(margins);
    }

    /**
     * Every learner has scored the current example: its losses count into the mix, which may
     * change at the end of a block. Not while the model is frozen: it serves what it serves, and
     * the examples its guard froze it for are no evidence of which learner to trust after them.
     */
    void next(boolean learning, int champion) {
        if (learning && mix.judged(losses)) {
            mixChanged |= mix.refresh(members(champion), champion, table.size());
        }
    }

    /** The champion changed: the members are those of the new one, at once. */
    void championChanged(int champion) {
        mix.refresh(members(champion), champion, table.size());
        mixChanged = true;
    }

    /** Whether the champion alone is served (the model is pinned), from now on; or the blend again, from the next block. */
    void serveAlone(boolean on, int champion) {
        alone = on;
        if (on) {
            mixChanged |= mix.refresh(members(champion), champion, table.size());
        }
    }

    /** The champion alone is served, and the losses start anew (a rollback). */
    void restart(int champion) {
        mix.restart(champion);
        mixChanged = true;
    }

    /** Whether the mix changed since the last call: the next update must carry every weight. */
    boolean takeMixChanged() {
        boolean changed = mixChanged;
        mixChanged = false;
        return changed;
    }

    private boolean[] members(int champion) {
        Learner served = contenders.get(champion).learner;
        for (int k = 0; k < candidates.length; k++) {
            Contender c = contenders.get(k);
            candidates[k] = k == champion || (!alone && !c.paused && c.learner.weighsLike(served));
        }
        return candidates;
    }

    /** The served weights changed since the last drain (every learner marks its changes in one list). */
    SparseWeights drainChanged() {
        return changes.drainBlended(columns, mixWeights());
    }

    /** Forgets which weights changed and that the mix did (after a full update, which carries both). */
    void clearChanged() {
        changes.clear();
        mixChanged = false;
    }

    /** Every non-zero served weight, in coordinate order. */
    SparseWeights nonZeroWeights() {
        double[] w = mixWeights();
        double[] t = table.values();
        int[] rows = table.rowsInCoordinateOrder(row -> ChangedWeights.blended(t, columns, w, row) != 0.0);
        int[] coords = new int[rows.length];
        double[] values = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            coords[i] = table.coordinateOf(rows[i]);
            values[i] = ChangedWeights.blended(t, columns, w, rows[i]);
        }
        return SparseWeights.of(coords, values);
    }

    /** A learner's weight in the blend. */
    double weight(int learner) {
        return mix.weight(learner);
    }

    /** The weight of each learner in the blend, by position. */
    double[] mixWeights() {
        for (int k = 0; k < weights.length; k++) {
            weights[k] = mix.weight(k);
        }
        return weights;
    }

    double[] state() {
        return mix.state();
    }

    /** Continues from a {@link #state()}; false when it does not fit (other learners). */
    boolean restore(double[] state) {
        return mix.restore(state);
    }
}
