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
    /** The largest hash space: 2^28 coordinates (plus the bias) of 8-byte weights and state is already gigabytes. */
    public static final int MAX_BITS = 28;

    private final int mask;

    public FeatureHasher(int bits) {
        if (bits < 1 || bits > MAX_BITS) {
            throw new IllegalArgumentException("hash bits must be in [1, " + MAX_BITS + "], was " + bits);
        }
        this.mask = (1 << bits) - 1;
    }

    /** Length of the weight vector of a hash space of 2^bits: those coordinates plus the bias. */
    public static int dimension(int bits) {
        return (1 << bits) + 1;
    }

    /** The bias coordinate of a hash space of 2^bits: outside it, so that no feature collides with the bias. */
    public static int biasIndex(int bits) {
        return 1 << bits;
    }

    public int categoricalIndex(CharSequence name, CharSequence value) {
        return MurmurHash3.hash(name, '=', value, SEED) & mask;
    }

    public int numericIndex(CharSequence name) {
        return MurmurHash3.hash(name, SEED) & mask;
    }

    /** The coordinate of a feature whose name (and value) {@link MurmurHash3} hashed with {@link #SEED}. */
    public int index(int hash) {
        return hash & mask;
    }

    /**
     * The coordinate of a feature cross of that hash: in a space of its own, as large as the
     * features' and right after it, so that no cross collides with a feature and a learner that
     * leaves crosses out knows them by their coordinate.
     */
    public int crossIndex(int hash) {
        return mask + 1 + (hash & mask);
    }
}
