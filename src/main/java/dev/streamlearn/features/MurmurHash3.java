package dev.streamlearn.features;

/**
 * MurmurHash3 x86 32-bit over the UTF-8 bytes of text, computed without allocating: the
 * characters are encoded on the fly. Matches the reference implementation (and so
 * scikit-learn's and Vowpal Wabbit's feature hashing) byte for byte.
 */
public final class MurmurHash3 {

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private int h;
    private int pending;
    private int pendingBytes;
    private int length;

    private MurmurHash3(int seed) {
        this.h = seed;
    }

    /** Hash of the UTF-8 bytes of {@code text}. */
    public static int hash(CharSequence text, int seed) {
        MurmurHash3 m = new MurmurHash3(seed);
        m.feed(text);
        return m.finish();
    }

    /** Hash of the UTF-8 bytes of {@code first + separator + second}, without building that string. */
    public static int hash(CharSequence first, char separator, CharSequence second, int seed) {
        MurmurHash3 m = new MurmurHash3(seed);
        m.feed(first);
        m.feedByte(separator);
        m.feed(second);
        return m.finish();
    }

    private void feed(CharSequence text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                feedByte(c);
            } else if (c < 0x800) {
                feedByte(0xc0 | (c >> 6));
                feedByte(0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                feedByte(0xf0 | (cp >> 18));
                feedByte(0x80 | ((cp >> 12) & 0x3f));
                feedByte(0x80 | ((cp >> 6) & 0x3f));
                feedByte(0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                feedByte('?'); // what String.getBytes(UTF_8) writes for a lone surrogate
            } else {
                feedByte(0xe0 | (c >> 12));
                feedByte(0x80 | ((c >> 6) & 0x3f));
                feedByte(0x80 | (c & 0x3f));
            }
        }
    }

    private void feedByte(int b) {
        pending |= (b & 0xff) << (8 * pendingBytes);
        length++;
        if (++pendingBytes == 4) {
            h ^= mixK(pending);
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
            pending = 0;
            pendingBytes = 0;
        }
    }

    private int finish() {
        if (pendingBytes > 0) {
            h ^= mixK(pending);
        }
        h ^= length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int mixK(int k) {
        k *= C1;
        k = Integer.rotateLeft(k, 15);
        return k * C2;
    }
}
