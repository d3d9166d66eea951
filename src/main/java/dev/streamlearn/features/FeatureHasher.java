package dev.streamlearn.features;

import java.io.Serializable;

/**
 * The hashing trick: a named feature becomes a coordinate of a fixed-size vector, so that
 * unseen values need no retraining. A string-valued feature {@code name=value} gets value 1.0;
 * a numeric feature {@code name} gets its value. The last coordinate is the bias, outside the
 * hashed range so that no feature ever collides with it.
 */
public final class FeatureHasher implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final int SEED = 0;

    private final int bits;
    private final int mask;

    public FeatureHasher(int bits) {
        if (bits < 1 || bits > 30) {
            throw new IllegalArgumentException("hash bits must be in [1, 30], was " + bits);
        }
        this.bits = bits;
        this.mask = (1 << bits) - 1;
    }

    public int bits() {
        return bits;
    }

    /** Length of the weight vector: 2^bits hashed coordinates plus the bias. */
    public int dimension() {
        return mask + 2;
    }

    public int biasIndex() {
        return mask + 1;
    }

    public int categoricalIndex(CharSequence name, CharSequence value) {
        return MurmurHash3.hash(name, '=', value, SEED) & mask;
    }

    public int numericIndex(CharSequence name) {
        return MurmurHash3.hash(name, SEED) & mask;
    }
}
