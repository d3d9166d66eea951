package dev.streamlearn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrequentialMetricsTest {

    @Test
    void aucCountsOrderedPairsWithTiesAsHalf() {
        // positives 0.8, 0.4; negatives 0.4, 0.1: pairs (0.8>0.4),(0.8>0.1),(0.4=0.4 -> 0.5),(0.4>0.1) = 3.5/4
        assertEquals(0.875, Auc.of(new double[] {0.8, 0.4, 0.4, 0.1}, new double[] {1, 1, 0, 0}), 1e-12);
        assertEquals(1.0, Auc.of(new double[] {0.9, 0.1}, new double[] {1, 0}));
        assertEquals(0.0, Auc.of(new double[] {0.1, 0.9}, new double[] {1, 0}));
        assertTrue(Double.isNaN(Auc.of(new double[] {0.1, 0.9}, new double[] {1, 1})));
    }

    @Test
    void windowKeepsTheLastExamplesAndTotalsKeepAll() {
        PrequentialMetrics m = new PrequentialMetrics(Loss.LOGISTIC, 2);
        m.record(0.5, 1); // loss ln 2, correct
        m.record(0.25, 1); // loss ln 4, wrong
        m.record(0.25, 0); // loss -ln 0.75, correct; evicts the first
        assertEquals(2, m.windowSize());
        assertEquals(3, m.seen());
        assertEquals((Math.log(4) - Math.log(0.75)) / 2, m.windowLoss(), 1e-12);
        assertEquals(0.5, m.windowAccuracy(), 1e-12);
        assertEquals((Math.log(2) + Math.log(4) - Math.log(0.75)) / 3, m.totalLoss(), 1e-12);
        assertEquals(2.0 / 3, m.totalAccuracy(), 1e-12);
    }

    @Test
    void regressionErrors() {
        PrequentialMetrics m = new PrequentialMetrics(Loss.SQUARED, 10);
        m.record(1.0, 3.0);
        m.record(5.0, 4.0);
        assertEquals(1.5, m.windowMae(), 1e-12);
        assertEquals(Math.sqrt(2.5), m.windowRmse(), 1e-12);
    }

    @Test
    void mapeIsTheMeanAbsolutePercentageErrorWithZeroLabelsCountingAsNone() {
        PrequentialMetrics m = new PrequentialMetrics(Loss.SQUARED, 2);
        m.record(110, 100); // 10 %
        m.record(45, 50); // 10 %
        m.record(3, 0); // no percentage; evicts the first
        assertEquals(0.05, m.windowMape(), 1e-12);
        assertEquals(0.2 / 3, m.totalMape(), 1e-12);
        assertEquals(
                m.totalMape(),
                PrequentialMetrics.restore(Loss.SQUARED, 2, m.snapshot()).totalMape(),
                1e-15);
    }

    @Test
    void windowSumsStayExactOverManyEvictions() {
        PrequentialMetrics m = new PrequentialMetrics(Loss.SQUARED, 7);
        for (int i = 0; i < 100_003; i++) {
            m.record(i % 13 * 1e6, 0.0);
        }
        double expected = 0;
        for (int i = 100_003 - 7; i < 100_003; i++) {
            expected += i % 13 * 1e6;
        }
        assertEquals(expected / 7, m.windowMae(), 1e-6);
    }

    @Test
    void snapshotRestoresWindowOrderAndTotals() {
        PrequentialMetrics m = new PrequentialMetrics(Loss.LOGISTIC, 3);
        double[] p = {0.9, 0.2, 0.7, 0.4, 0.6};
        double[] y = {1, 0, 0, 1, 1};
        for (int i = 0; i < p.length; i++) {
            m.record(p[i], y[i]);
        }
        PrequentialMetrics r = PrequentialMetrics.restore(Loss.LOGISTIC, 3, m.snapshot());
        assertEquals(m.windowLoss(), r.windowLoss(), 1e-12);
        assertEquals(m.windowAuc(), r.windowAuc(), 1e-12);
        assertEquals(m.totalLoss(), r.totalLoss(), 1e-12);
        // the next eviction removes the same (oldest) entry in both
        m.record(0.1, 0);
        r.record(0.1, 0);
        assertEquals(m.windowLoss(), r.windowLoss(), 1e-12);
        // a smaller window keeps the newest entries: 0.6 (y=1) and 0.1 (y=0)
        PrequentialMetrics small = PrequentialMetrics.restore(Loss.LOGISTIC, 2, m.snapshot());
        assertEquals((-Math.log(0.6) - Math.log(0.9)) / 2, small.windowLoss(), 1e-12);
    }

    @Test
    void aWindowLargerThanItsFirstRoomGrowsKeepsOrderAndRestoresMidWay() {
        int window = 1000;
        PrequentialMetrics m = new PrequentialMetrics(Loss.LOGISTIC, window);
        java.util.Random random = new java.util.Random(7);
        double[] p = new double[2500];
        double[] y = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = 0.01 + 0.98 * random.nextDouble();
            y[i] = random.nextDouble() < p[i] ? 1 : 0;
        }
        PrequentialMetrics restored = null;
        for (int i = 0; i < p.length; i++) {
            m.record(p[i], y[i]);
            if (i == 299) { // part filled, arrays grown past their first room but short of the window
                restored = PrequentialMetrics.restore(Loss.LOGISTIC, window, m.snapshot());
            } else if (restored != null) {
                restored.record(p[i], y[i]);
            }
            if (i == 299 || i == p.length - 1) {
                int from = Math.max(0, i + 1 - window);
                double loss = 0;
                for (int k = from; k <= i; k++) {
                    loss += Loss.LOGISTIC.loss(p[k], y[k]);
                }
                assertEquals(i + 1 - from, m.windowSize());
                assertEquals(loss / (i + 1 - from), m.windowLoss(), 1e-9);
                assertEquals(
                        Auc.of(
                                java.util.Arrays.copyOfRange(p, from, i + 1),
                                java.util.Arrays.copyOfRange(y, from, i + 1)),
                        m.windowAuc(),
                        1e-12);
            }
        }
        assertEquals(m.windowLoss(), restored.windowLoss(), 1e-9);
        assertEquals(m.windowAuc(), restored.windowAuc(), 1e-12);
    }
}
