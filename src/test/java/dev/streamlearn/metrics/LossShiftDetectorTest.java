package dev.streamlearn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LossShiftDetectorTest {

    @Test
    void aStationaryNoisyLossNeverAlarmsAndADoublingDoesWithinAWindow() {
        LossShiftDetector d = new LossShiftDetector(100, 1.0);
        Random r = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            assertFalse(d.observe(-Math.log(r.nextDouble()) * 0.3), "no alarm at " + i); // exponential, mean 0.3
        }
        assertEquals(0.3, d.referenceMean(), 0.03);
        int alarmAfter = -1;
        for (int i = 0; i < 200 && alarmAfter < 0; i++) {
            if (d.observe(-Math.log(r.nextDouble()) * 0.9)) {
                alarmAfter = i;
            }
        }
        assertTrue(alarmAfter > 0 && alarmAfter < 100, "a tripled loss alarms within one window: " + alarmAfter);
        double reference = d.referenceMean();
        for (int i = 0; i < 10_000; i++) {
            d.observe(-Math.log(r.nextDouble()) * 0.9);
        }
        assertEquals(reference, d.referenceMean(), 0.02 * reference, "the reference does not learn an alarming level");
        d.accept();
        assertFalse(d.alarming(), "accepted: the present level is the reference");
    }

    @Test
    void nonFiniteLossesAreNotCountedAndTheStateRoundTrips() {
        LossShiftDetector d = new LossShiftDetector(50, 1.0);
        for (int i = 0; i < 1000; i++) {
            d.observe(i % 7 * 0.1);
        }
        double mean = d.shortMean();
        d.observe(Double.NaN);
        d.observe(Double.POSITIVE_INFINITY);
        assertEquals(mean, d.shortMean(), 1e-12);
        LossShiftDetector copy = new LossShiftDetector(50, 1.0);
        copy.restore(d.state());
        assertEquals(d.shortMean(), copy.shortMean(), 1e-12);
        assertEquals(d.referenceMean(), copy.referenceMean(), 1e-12);
        for (int i = 0; i < 500; i++) {
            assertEquals(d.observe(3.0), copy.observe(3.0), "the same answers after a restore");
        }
    }
}
