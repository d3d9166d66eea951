package dev.streamlearn.features;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3 x86 32-bit over the UTF-8 bytes of text. Matches the reference implementation (and
 * so scikit-learn's and Vowpal Wabbit's feature hashing) byte for byte. The hot path hashes the
 * record's own UTF-8 bytes as the parser read them; the text forms encode a copy.
 */
public final class MurmurHash3 {

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;
    private static final VarHandle LITTLE_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private MurmurHash3() {}

    /** Hash of the UTF-8 bytes of {@code text}. */
    public static int hash(CharSequence text, int seed) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        return hash(bytes, 0, bytes.length, seed);
    }

    /** Hash of the UTF-8 bytes of {@code first + separator + second}. */
    public static int hash(CharSequence first, char separator, CharSequence second, int seed) {
        byte[] bytes = (first.toString() + separator + second).getBytes(StandardCharsets.UTF_8);
        return hash(bytes, 0, bytes.length, seed);
    }

    /** Hash of {@code data[offset, offset + length)}. */
    @SuppressWarnings("fallthrough") // the tail bytes fold in from the last down, as MurmurHash3 defines
    public static int hash(byte[] data, int offset, int length, int seed) {
        int h = seed;
        int blocksEnd = offset + (length & ~3);
        for (int i = offset; i < blocksEnd; i += 4) {
            h ^= mixK((int) LITTLE_ENDIAN_INT.get(data, i));
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (length & 3) {
            case 3:
                k ^= (data[blocksEnd + 2] & 0xff) << 16;
                // fall through
            case 2:
                k ^= (data[blocksEnd + 1] & 0xff) << 8;
                // fall through
            case 1:
                k ^= data[blocksEnd] & 0xff;
                h ^= mixK(k);
                // fall through
            default:
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
