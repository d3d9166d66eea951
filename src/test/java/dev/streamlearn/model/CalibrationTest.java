package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void noCalibrationServesTheMarginAsItIs() {
        for (double m : new double[] {-3.25, -0.0, 0.0, 1e-300, 7.5}) {
            assertEquals(Double.doubleToLongBits(m), Double.doubleToLongBits(Calibration.apply(null, m)));
        }
        assertEquals(2 * 1.5 - 0.5, Calibration.apply(new Calibration(2, -0.5, 0), 1.5));
    }

    @Test
    void itLearnsTheMapThatMakesOverconfidentMarginsProbabilities() {
        // labels drawn with probability sigmoid(0.5 m - 1): margins twice as confident as they should be, and high
        SplittableRandom random = new SplittableRandom(7);
        Calibration c = new Calibration();
        for (int i = 0; i < 60_000; i++) {
            double m = 2 * random.nextGaussian();
            double y = random.nextDouble() < 1 / (1 + Math.exp(-(0.5 * m - 1))) ? 1 : 0;
            c.learn(m, y);
        }
        assertEquals(0.5, c.slope, 0.1, c.toString());
        assertEquals(-1, c.offset, 0.15, c.toString());
        assertEquals(60_000, c.labels);
    }

    @Test
    void aNonFiniteMarginOrLabelTeachesNothingAndAnExtremeMarginLittle() {
        Calibration c = new Calibration();
        c.learn(Double.NaN, 1).learn(Double.POSITIVE_INFINITY, 0).learn(0.5, Double.NaN);
        assertEquals(1, c.slope);
        assertEquals(0, c.offset);
        assertEquals(0, c.labels);
        c.learn(1e300, 0); // counts as a margin of 20, confidently wrong: one step of 0.01 x 20
        assertEquals(1 - Calibration.STEP * Calibration.MARGIN_LIMIT, c.slope, 1e-9);
        assertEquals(1, c.labels);
    }
}
