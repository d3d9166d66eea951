package dev.streamlearn.training;

import dev.streamlearn.model.CoordinateTable;
import dev.streamlearn.model.ModelState;
import java.util.Arrays;

/**
 * The states of the learners of one table ({@link Learner#state()} of each), each read in one pass
 * over the table's rows into arrays as long as the table, then cut to the rows it has: a pass to
 * find its rows and another to copy them read every row twice, in coordinate order, which is
 * random order in a sparse table. A checkpoint takes these states while the trainer waits.
 */
final class LearnerStates {

    private LearnerStates() {}

    /** Each learner's state, from every row of their table in coordinate order. */
    static ModelState[] of(Learner[] learners, int[] tableRowsInCoordinateOrder) {
        int[] rows = tableRowsInCoordinateOrder;
        int n = rows.length;
        CoordinateTable table = learners[0].table();
        double[] t = table.values();
        ModelState[] states = new ModelState[learners.length];
        for (int j = 0; j < learners.length; j++) {
            Learner l = learners[j];
            int arrays = l.optimizerArrays();
            int[] coords = new int[n];
            double[] weights = new double[n];
            double[][] state = new double[arrays][n];
            int count = 0;
            for (int i = 0; i < n; i++) {
                int row = rows[i];
                if (l.isSet(t, row)) {
                    coords[count] = table.coordinateOf(row);
                    count = l.copyRow(t, row, weights, state, count);
                }
            }
            ModelState s = new ModelState();
            s.coords = count == n ? coords : Arrays.copyOf(coords, count);
            s.weights = count == n ? weights : Arrays.copyOf(weights, count);
            s.optimizerArrays = arrays;
            s.optimizerState = new double[count * arrays];
            for (int a = 0; a < arrays; a++) {
                System.arraycopy(state[a], 0, s.optimizerState, a * count, count);
            }
            l.completeState(s);
            states[j] = s;
        }
        return states;
    }
}
