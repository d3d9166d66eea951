package dev.streamlearn.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.records.SeriesScale;
import org.junit.jupiter.api.Test;

class SeriesWindowTest {

    @Test
    void lagsReadBackwardsThroughTheRing() {
        SeriesState s = new SeriesState(3);
        for (int v = 1; v <= 5; v++) {
            SeriesWindow.append(s, v * 10, v);
        }
        assertEquals(50, SeriesWindow.lag(s, 1));
        assertEquals(40, SeriesWindow.lag(s, 2));
        assertEquals(30, SeriesWindow.lag(s, 3));
        assertTrue(Double.isNaN(SeriesWindow.lag(s, 4)), "beyond the window");
        assertEquals(5, s.lastTs);
    }

    @Test
    void runningMeanAndSampleDeviationAreExact() {
        SeriesState s = new SeriesState(2);
        double[] values = {2, 4, 4, 4, 5, 5, 7, 9};
        for (double v : values) {
            SeriesWindow.append(s, v, 0);
        }
        assertEquals(5.0, s.mean, 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), SeriesWindow.std(s), 1e-12); // sample deviation over all values
        assertEquals((9 - 5) / Math.sqrt(32.0 / 7), SeriesWindow.standardize(s, 9), 1e-12);
        assertEquals(
                9,
                new SeriesScale(s.mean, SeriesWindow.std(s), Double.NaN).toSeries(SeriesWindow.standardize(s, 9)),
                1e-12);
    }

    @Test
    void aConstantOrNewSeriesIsNotDividedByZero() {
        SeriesState s = new SeriesState(2);
        SeriesWindow.append(s, 7, 0);
        assertEquals(1.0, SeriesWindow.std(s));
        SeriesWindow.append(s, 7, 1);
        assertEquals(1.0, SeriesWindow.std(s));
        assertEquals(0.0, SeriesWindow.standardize(s, 7));
    }

    @Test
    void resetForgetsValuesButKeepsTheScale() {
        SeriesState s = new SeriesState(2);
        SeriesWindow.append(s, 1, 0);
        SeriesWindow.append(s, 3, 1);
        SeriesWindow.resetHistory(s);
        assertTrue(Double.isNaN(SeriesWindow.lag(s, 1)));
        assertEquals(2.0, s.mean);
    }
}
