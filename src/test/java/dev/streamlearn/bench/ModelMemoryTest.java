package dev.streamlearn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.model.ChallengerList;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import org.junit.jupiter.api.Test;

/**
 * The memory benchmark on a small model: it measures what it says it measures (heap figures are
 * left to the benchmark, which runs the serial collector; G1's are not exact for small arrays).
 */
class ModelMemoryTest {

    private static final int BITS = 12;
    // FTRL: a 4-byte coordinate, a weight and two accumulators of 8 bytes per coordinate (and the bias)
    private static final long EVERY_COORDINATE_ONCE = ((1L << BITS) + 1) * (4 + 3 * 8);

    @Test
    void inTheJobsLayoutACheckpointHoldsTheModelOnceAndEachStoredVersionGoesToKeyedState() throws Exception {
        ModelMemory.Footprint f = ModelMemory.footprint(BITS, true, ChallengerList.NONE);
        assertEquals(EVERY_COORDINATE_ONCE, f.everyCoordinateOnce);
        assertBetween(EVERY_COORDINATE_ONCE, 2 * EVERY_COORDINATE_ONCE, f.operatorStateBytes);
        assertBetween(EVERY_COORDINATE_ONCE, 2 * EVERY_COORDINATE_ONCE, f.storedVersionBytes);
    }

    @Test
    void aCheckpointHoldsEachLearnerOnceAndAStoredVersionOnlyTheChampion() throws Exception {
        ModelMemory.Footprint f = ModelMemory.footprint(BITS, true, ChallengerList.AUTO);
        int learners = ModelSpec.builder("m").build().learners().size();
        assertEquals(3, learners, "the champion and the automatic challengers of a model that is not a series");
        assertBetween(learners * EVERY_COORDINATE_ONCE, (learners + 1) * EVERY_COORDINATE_ONCE, f.operatorStateBytes);
        assertBetween(EVERY_COORDINATE_ONCE, 2 * EVERY_COORDINATE_ONCE, f.storedVersionBytes);
    }

    @Test
    void withRecentVersionsOnTheHeapEveryCheckpointHoldsThemAll() throws Exception {
        ModelMemory.Footprint f = ModelMemory.footprint(BITS, false, ChallengerList.NONE);
        long copies = 1L + ModelOptions.STORE_RECENT.defaultValue;
        assertBetween(copies * EVERY_COORDINATE_ONCE, (copies + 1) * EVERY_COORDINATE_ONCE, f.operatorStateBytes);
    }

    private static void assertBetween(long low, long high, long actual) {
        assertTrue(actual >= low && actual < high, actual + " not in [" + low + ", " + high + ")");
    }
}
