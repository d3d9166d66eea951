package dev.streamlearn.evaluation;

import dev.streamlearn.features.ScalerState;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.records.Example;
import dev.streamlearn.training.Learner;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Data-parallel training of one model, simulated in one thread: K learners each learn 1/K of the
 * stream (example i goes to learner i mod K, as an unkeyed labeled topic spreads events over its
 * partitions and a trainer per partition would read them), and every N examples of the stream
 * their states are merged into one that every learner continues from. Each example is scored by
 * its own learner before it learns from it. The learners are the model's champion learner, with
 * no challengers and no guard.
 */
public final class ShardedRun {

    /** How the learners' states become one. */
    public enum Merge {
        /**
         * Every number of the state (weights, optimizer accumulators, scaling statistics) is the
         * state at the last merge plus the sum of each learner's change since: every example's
         * update counts once, as in one learner, only computed on weights up to N examples old.
         */
        SUM_OF_CHANGES,
        /** Every number is the mean of the learners' (parameter mixing): each example's update counts 1/K. */
        AVERAGE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The rule its name names. */
        public static Merge of(String name) {
            for (Merge m : values()) {
                if (m.toString().equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("not a merge rule (sum-of-changes, average): " + name);
        }
    }

    /** What a run measured: its scores, how many merges, and the merges' cost. */
    public record Result(Scores scores, int merges, long stateBytes, double mergeMillis) {}

    private ShardedRun() {}

    public static Result run(ModelSpec spec, List<Example> examples, int shards, int syncEvery, Merge merge) {
        if (shards < 1 || syncEvery < 1) {
            throw new IllegalArgumentException("shards and sync-every must be >= 1");
        }
        Learner[] learners = new Learner[shards];
        for (int k = 0; k < shards; k++) {
            learners[k] = new Learner(spec);
        }
        Scores scores = new Scores(spec.loss(), false);
        ModelState base = learners[0].state();
        int merges = 0;
        long bytes = 0;
        long mergeNanos = 0;
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            scores.add(e, learners[i % shards].learn(e.features, e.label, e.weight));
            if (shards > 1 && (i + 1) % syncEvery == 0) {
                long start = System.nanoTime();
                ModelState[] states = new ModelState[shards];
                for (int k = 0; k < shards; k++) {
                    states[k] = learners[k].state();
                    bytes = Math.max(bytes, bytes(states[k]));
                }
                base = merged(base, states, merge);
                for (Learner l : learners) {
                    l.load(base);
                }
                mergeNanos += System.nanoTime() - start;
                merges++;
            }
        }
        return new Result(scores, merges, bytes, merges == 0 ? 0 : mergeNanos / 1e6 / merges);
    }

    /** What a learner's state takes on the wire: a coordinate (4 bytes) and its numbers (8 each), and the scaling. */
    static long bytes(ModelState s) {
        long scaling = s.scale == null ? 0 : (long) s.scale.size() * (4 + 3 * 8);
        return (long) s.coords.length * (4 + 8 + 8L * s.optimizerArrays) + scaling;
    }

    /** The states of the learners merged, from the state all of them had at the last merge. */
    static ModelState merged(ModelState base, ModelState[] states, Merge merge) {
        TreeMap<Integer, double[]> byCoordinate = new TreeMap<>();
        int arrays = states[0].optimizerArrays;
        int numbers = 1 + arrays;
        double share = merge == Merge.AVERAGE ? 1.0 / states.length : 1.0;
        for (ModelState s : states) {
            addInto(byCoordinate, s, numbers, share);
        }
        if (merge == Merge.SUM_OF_CHANGES) {
            addInto(byCoordinate, base, numbers, 1.0 - states.length);
        }
        ModelState m = new ModelState();
        int n = byCoordinate.size();
        m.coords = new int[n];
        m.weights = new double[n];
        m.optimizerArrays = arrays;
        m.optimizerState = new double[n * arrays];
        int k = 0;
        for (var entry : byCoordinate.entrySet()) {
            m.coords[k] = entry.getKey();
            double[] v = entry.getValue();
            m.weights[k] = v[0];
            for (int a = 0; a < arrays; a++) {
                m.optimizerState[a * n + k] = v[1 + a];
            }
            k++;
        }
        double steps =
                share * Arrays.stream(states).mapToLong(s -> s.optimizerSteps).sum();
        m.optimizerSteps = Math.round(
                merge == Merge.SUM_OF_CHANGES ? steps - (states.length - 1) * (double) base.optimizerSteps : steps);
        m.optimizerGlobal = combine(base.optimizerGlobal, states, s -> s.optimizerGlobal, merge);
        m.scale = mergedScale(base.scale, states, merge);
        return m;
    }

    private static void addInto(Map<Integer, double[]> into, ModelState s, int numbers, double factor) {
        int n = s.coords.length;
        for (int k = 0; k < n; k++) {
            double[] v = into.computeIfAbsent(s.coords[k], c -> new double[numbers]);
            v[0] += factor * s.weights[k];
            for (int a = 1; a < numbers; a++) {
                v[a] += factor * s.optimizerState[(a - 1) * n + k];
            }
        }
    }

    private interface Part {
        double[] of(ModelState s);
    }

    /** One array of numbers of every state, merged element by element (empty or absent: nothing to merge). */
    private static double[] combine(double[] base, ModelState[] states, Part part, Merge merge) {
        double[] first = part.of(states[0]);
        if (first == null || first.length == 0) {
            return first;
        }
        double[] out = new double[first.length];
        for (ModelState s : states) {
            double[] v = part.of(s);
            for (int i = 0; i < out.length; i++) {
                out[i] += merge == Merge.AVERAGE ? v[i] / states.length : v[i];
            }
        }
        if (merge == Merge.SUM_OF_CHANGES && base != null && base.length == out.length) {
            for (int i = 0; i < out.length; i++) {
                out[i] -= (states.length - 1) * base[i];
            }
        }
        return out;
    }

    /**
     * The scaling statistics merged per feature: counts as the other numbers; means and variances
     * through the sums they stand for (count x mean, count x (variance + mean^2)), so a learner that
     * saw a feature more counts more. The statistics forget with a horizon; merged this way they
     * are an approximation of one learner's, which the table of docs/SCALING.md measures.
     */
    private static ScalerState mergedScale(ScalerState base, ModelState[] states, Merge merge) {
        TreeMap<Integer, double[]> sums = new TreeMap<>(); // key -> {count, count*mean, count*(var+mean^2)}
        double share = merge == Merge.AVERAGE ? 1.0 / states.length : 1.0;
        for (ModelState s : states) {
            addSums(sums, s.scale, share);
        }
        if (merge == Merge.SUM_OF_CHANGES) {
            addSums(sums, base, 1.0 - states.length);
        }
        ScalerState first = states[0].scale;
        int n = sums.size();
        ScalerState m = new ScalerState(new int[n], new double[n], new double[n], new double[n]);
        int k = 0;
        for (var entry : sums.entrySet()) {
            double[] v = entry.getValue();
            double count = Math.max(v[0], 0);
            double mean = count > 0 ? v[1] / count : 0;
            m.keys[k] = entry.getKey();
            m.counts[k] = count;
            m.means[k] = mean;
            m.variances[k] = count > 0 ? Math.max(0, v[2] / count - mean * mean) : 0;
            k++;
        }
        if (first != null) {
            m.clip = first.clip;
            m.horizon = first.horizon;
            m.logAll = first.logAll;
            m.logKeys = first.logKeys;
        }
        return m;
    }

    private static void addSums(Map<Integer, double[]> sums, ScalerState s, double factor) {
        if (s == null) {
            return;
        }
        for (int k = 0; k < s.size(); k++) {
            double[] v = sums.computeIfAbsent(s.keys[k], key -> new double[3]);
            double c = s.counts[k];
            v[0] += factor * c;
            v[1] += factor * c * s.means[k];
            v[2] += factor * c * (s.variances[k] + s.means[k] * s.means[k]);
        }
    }
}
