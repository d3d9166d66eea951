package dev.streamlearn.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.streamlearn.records.Features;
import org.junit.jupiter.api.Test;

class FeatureHasherTest {

    @Test
    void biasSitsAfterTheHashedRange() {
        assertEquals(17, FeatureHasher.dimension(4));
        assertEquals(16, FeatureHasher.biasIndex(4));
    }

    @Test
    void indicesAreTheMaskedMurmurHash() {
        FeatureHasher h = new FeatureHasher(20);
        assertEquals(MurmurHash3.hash("site=a.com", 0) & 0xFFFFF, h.categoricalIndex("site", "a.com"));
        assertEquals(MurmurHash3.hash("price", 0) & 0xFFFFF, h.numericIndex("price"));
        assertNotEquals(h.categoricalIndex("site", "a.com"), h.categoricalIndex("site", "b.com"));
    }

    @Test
    void builderKeepsCategoricalAndNumericApartAndKeepsZeroValues() {
        FeatureHasher h = new FeatureHasher(10);
        FeaturesBuilder b = new FeaturesBuilder(h).reset();
        b.categorical("site", "a.com");
        b.numeric("price", 2.5);
        b.numeric("discount", 0.0);
        Features f = b.build();
        assertArrayEquals(new int[] {h.categoricalIndex("site", "a.com")}, f.categorical);
        assertArrayEquals(new int[] {h.numericIndex("price"), h.numericIndex("discount")}, f.numeric);
        assertArrayEquals(new double[] {2.5, 0.0}, f.numericValues, "zero is a value once features are scaled");
        assertEquals(0, b.reset().build().size());
    }

    @Test
    void rejectsBitsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new FeatureHasher(0));
        assertThrows(IllegalArgumentException.class, () -> new FeatureHasher(FeatureHasher.MAX_BITS + 1));
    }
}
