package dev.streamlearn.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumericScalerTest {

    private static final double EPS = 1e-12;

    private static NumericScaler scaler() {
        return new NumericScaler(5.0, Double.POSITIVE_INFINITY, false, new int[0]);
    }

    @Test
    void standardizesWithTheStatisticsOfTheValuesBeforeAndIsZeroUntilThereIsSpread() {
        NumericScaler s = scaler();
        assertEquals(0.0, s.transform(7, 10), "an unseen feature does not count yet");
        s.observe(7, 10);
        assertEquals(0.0, s.transform(7, 20), "one value has no spread");
        s.observe(7, 20); // mean 15, variance ((10-15)^2 + (20-15)^2) / 2 = 25
        assertEquals((30 - 15) / 5.0, s.transform(7, 30), EPS);
        s.observe(7, 30); // mean 20, variance 200/3
        assertEquals((26 - 20) / Math.sqrt(200.0 / 3), s.transform(7, 26), EPS);
    }

    @Test
    void clipsAndWinsorizesSoOneExtremeValueCannotMoveTheStatisticsFar() {
        NumericScaler s = scaler();
        s.observe(7, 10);
        s.observe(7, 20);
        s.observe(7, 30); // mean 20, std sqrt(200/3)
        double std = Math.sqrt(200.0 / 3);
        assertEquals(5.0, s.transform(7, 1e30), "clipped to 5 standard deviations");
        assertEquals(-5.0, s.transform(7, -1e30));
        s.observe(7, 1e30); // enters as 20 + 5 std
        double x = 20 + 5 * std;
        double mean = 20 + (x - 20) / 4;
        double variance = 0.75 * (200.0 / 3 + 0.25 * (x - 20) * (x - 20));
        assertEquals(
                (mean + Math.sqrt(variance) - mean) / Math.sqrt(variance),
                s.transform(7, mean + Math.sqrt(variance)),
                EPS);
        assertEquals(0.0, s.transform(7, mean), EPS);
    }

    @Test
    void afterTheHorizonTheStatisticsWeighThePastExponentially() {
        NumericScaler s = new NumericScaler(5.0, 2, false, new int[0]);
        s.observe(1, 0);
        s.observe(1, 2); // mean 1, variance 1 (Welford until the horizon)
        s.observe(1, 3); // rate stays 1/2: mean 2, variance (1/2)(1 + (1/2) 4) = 1.5
        assertEquals((4 - 2) / Math.sqrt(1.5), s.transform(1, 4), EPS);
    }

    @Test
    void logTransformsTheNamedFeaturesBeforeScaling() {
        NumericScaler s = new NumericScaler(5.0, Double.POSITIVE_INFINITY, false, new int[] {3});
        s.observe(3, Math.E - 1); // log1p: 1
        s.observe(3, Math.exp(3) - 1); // log1p: 3; mean 2, std 1
        assertEquals(0.0, s.transform(3, Math.exp(2) - 1), EPS);
        assertEquals(-Math.log1p(5) - 2, s.transform(3, -5), EPS, "signed: -log1p(5)");
        s.observe(4, 1);
        s.observe(4, 3);
        assertEquals(1.0, s.transform(4, 3), EPS, "other features are not transformed");
        NumericScaler all = new NumericScaler(5.0, Double.POSITIVE_INFINITY, true, new int[0]);
        all.observe(9, Math.E - 1);
        all.observe(9, Math.exp(3) - 1);
        assertEquals(0.0, all.transform(9, Math.exp(2) - 1), EPS);
    }

    @Test
    void labelsGoToTheModelsScaleAndBack() {
        NumericScaler s = scaler();
        assertEquals(0.0, s.labelFromModel(0.0), "no labels yet: the all-zero model predicts 0");
        s.observeLabel(100);
        s.observeLabel(300); // mean 200, std 100
        assertEquals(0.5, s.labelToModel(250), EPS);
        assertEquals(250, s.labelFromModel(0.5), EPS);
        assertEquals(5.0, s.labelToModel(1e9), "clipped like a feature");
    }

    @Test
    void exportsEveryEntryOrOnlyTheChangedOnesAndAppliesThem() {
        NumericScaler s = scaler();
        s.observe(1, 1);
        s.observe(2, 2);
        assertEquals(2, s.drainChanged().size());
        s.observe(2, 4);
        ScalerState changed = s.drainChanged();
        assertArrayEquals(new int[] {2}, changed.keys);
        assertEquals(0, s.drainChanged().size());

        NumericScaler copy = s.emptyCopy();
        copy.apply(s.export());
        assertEquals(s.transform(2, 5), copy.transform(2, 5), 0.0);
        assertEquals(2, copy.size());
        copy.clear();
        assertEquals(0, copy.size());
        assertEquals(0.0, copy.transform(2, 5));
    }
}
