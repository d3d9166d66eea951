package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.metrics.Loss;
import org.junit.jupiter.api.Test;

class LossTest {

    @Test
    void logisticLinkAndLoss() {
        assertEquals(0.5, Loss.LOGISTIC.predict(0.0));
        assertEquals(1.0 / (1.0 + Math.exp(-2.0)), Loss.LOGISTIC.predict(2.0), 1e-15);
        assertEquals(Math.exp(-800) / (1 + Math.exp(-800)), Loss.LOGISTIC.predict(-800.0));
        assertEquals(1.0, Loss.LOGISTIC.predict(800.0));
        assertEquals(Math.log(2), Loss.LOGISTIC.loss(0.5, 1.0), 1e-15);
        assertEquals(-Math.log(0.25), Loss.LOGISTIC.loss(0.75, 0.0), 1e-15);
        // capped: a certain miss costs -log(1e-15), not infinity
        assertEquals(-Math.log(1e-15), Loss.LOGISTIC.loss(0.0, 1.0), 1e-9);
    }

    @Test
    void squaredLinkAndLoss() {
        assertEquals(3.5, Loss.SQUARED.predict(3.5));
        assertEquals(2.0, Loss.SQUARED.loss(1.0, 3.0));
    }

    @Test
    void labelRules() {
        assertTrue(Loss.LOGISTIC.acceptsLabel(0.0));
        assertTrue(Loss.LOGISTIC.acceptsLabel(1.0));
        assertFalse(Loss.LOGISTIC.acceptsLabel(0.5));
        assertFalse(Loss.LOGISTIC.acceptsLabel(2.0));
        assertTrue(Loss.SQUARED.acceptsLabel(-12.5));
        assertFalse(Loss.SQUARED.acceptsLabel(Double.NaN));
    }
}
