package dev.streamlearn.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FeatureHasherTest {

    @Test
    void biasSitsAfterTheHashedRange() {
        FeatureHasher h = new FeatureHasher(4);
        assertEquals(17, h.dimension());
        assertEquals(16, h.biasIndex());
    }

    @Test
    void indicesAreTheMaskedMurmurHash() {
        FeatureHasher h = new FeatureHasher(20);
        assertEquals(MurmurHash3.hash("site=a.com", 0) & 0xFFFFF, h.categoricalIndex("site", "a.com"));
        assertEquals(MurmurHash3.hash("price", 0) & 0xFFFFF, h.numericIndex("price"));
        assertNotEquals(h.categoricalIndex("site", "a.com"), h.categoricalIndex("site", "b.com"));
    }

    @Test
    void builderPutsBiasFirstAndSkipsZeroNumerics() {
        FeatureHasher h = new FeatureHasher(10);
        SparseVectorBuilder b = new SparseVectorBuilder(h).reset();
        b.categorical("site", "a.com");
        b.numeric("price", 2.5);
        b.numeric("discount", 0.0);
        assertArrayEquals(new int[] {h.biasIndex(), h.categoricalIndex("site", "a.com"), h.numericIndex("price")},
                b.indices());
        assertArrayEquals(new double[] {1.0, 1.0, 2.5}, b.values());
        b.reset();
        assertArrayEquals(new int[] {h.biasIndex()}, b.indices());
    }

    @Test
    void rejectsBitsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new FeatureHasher(0));
        assertThrows(IllegalArgumentException.class, () -> new FeatureHasher(31));
    }
}
