package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WakeupsTest {

    @Test
    void registersOnlyWhenNothingIsPendingAtOrBeforeTheTimeAskedFor() {
        Wakeups w = new Wakeups();
        assertTrue(w.register("a", 1050));
        assertFalse(w.register("a", 1050), "the same time is pending");
        assertFalse(w.register("a", 1070), "1050 fires first and asks again");
        assertTrue(w.register("a", 1040), "earlier than anything pending");
        assertTrue(w.register("b", 1070), "models are apart");
    }

    @Test
    void aFiredTimerIsNoLongerPending() {
        Wakeups w = new Wakeups();
        w.register("a", 1050);
        w.fired("a", 1049); // another, earlier timer (e.g. one restored from a checkpoint)
        assertFalse(w.register("a", 1070), "1050 is still pending");
        w.fired("a", 1050);
        assertTrue(w.register("a", 1070));
    }
}
