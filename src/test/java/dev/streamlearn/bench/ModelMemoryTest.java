package dev.streamlearn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.model.ModelSpec;
import org.junit.jupiter.api.Test;

/** The memory benchmark on a tiny model: it measures what it says it measures. */
class ModelMemoryTest {

    @Test
    void aFullyLearntModelHoldsEveryCoordinateInItsTableItsRecentVersionsAndItsCheckpoint() throws Exception {
        int bits = 12;
        ModelMemory.Footprint f = ModelMemory.footprint(bits);
        long coordinates = (1L << bits) + 1; // and the bias
        // FTRL: a weight and two accumulators of 8 bytes, and a 4-byte coordinate, per coordinate
        assertEquals(coordinates * (4 + 3 * 8), f.everyCoordinateOnce);
        assertEquals(ModelSpec.Defaults.RECENT_VERSIONS * f.everyCoordinateOnce, f.recentVersions);
        assertTrue(f.trainerHeap >= 3 * 8 * coordinates + f.recentVersions, "trainer heap " + f.trainerHeap);
        assertTrue(
                f.checkpointBytes >= (1 + ModelSpec.Defaults.RECENT_VERSIONS) * f.everyCoordinateOnce,
                "checkpoint " + f.checkpointBytes);
        assertTrue(f.servedHeap >= 8 * coordinates, "served " + f.servedHeap);
    }
}
