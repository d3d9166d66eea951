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
            h = round(h, (int) LITTLE_ENDIAN_INT.get(data, i));
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
        return finish(h, length);
    }

    /**
     * Hash of {@code a[aOffset, +aLength)}, then the byte {@code separator}, then {@code
     * b[bOffset, +bLength)}, as one run of bytes: a categorical's {@code name=value} from the
     * record's own ranges, with no copy to join them.
     */
    public static int hash(
            byte[] a, int aOffset, int aLength, byte separator, byte[] b, int bOffset, int bLength, int seed) {
        int h = seed;
        int aBlocksEnd = aOffset + (aLength & ~3);
        for (int i = aOffset; i < aBlocksEnd; i += 4) {
            h = round(h, (int) LITTLE_ENDIAN_INT.get(a, i));
        }
        // the block that spans the two: a's last bytes, the separator, b's first
        int filled = aLength & 3;
        int k = 0;
        for (int j = 0; j < filled; j++) {
            k |= (a[aBlocksEnd + j] & 0xff) << (8 * j);
        }
        k |= (separator & 0xff) << (8 * filled++);
        int i = bOffset;
        int bEnd = bOffset + bLength;
        if (bLength >= 4 - filled) {
            for (; filled < 4; filled++) {
                k |= (b[i++] & 0xff) << (8 * filled);
            }
            h = round(h, k);
            int bBlocksEnd = i + ((bEnd - i) & ~3);
            for (; i < bBlocksEnd; i += 4) {
                h = round(h, (int) LITTLE_ENDIAN_INT.get(b, i));
            }
            k = 0;
            filled = 0;
        }
        for (; i < bEnd; i++) {
            k |= (b[i] & 0xff) << (8 * filled++);
        }
        if (filled > 0) {
            h ^= mixK(k);
        }
        return finish(h, aLength + 1 + bLength);
    }

    /**
     * Hash of the hashes {@code first} and {@code second}, as MurmurHash3 of their 8 little-endian
     * bytes: a feature cross's, from the hashes of its parts.
     */
    public static int hash(int first, int second, int seed) {
        return finish(round(round(seed, first), second), 8);
    }

    /** Hash of three hashes, as MurmurHash3 of their 12 little-endian bytes. */
    public static int hash(int first, int second, int third, int seed) {
        return finish(round(round(round(seed, first), second), third), 12);
    }

    private static int round(int h, int block) {
        h ^= mixK(block);
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xe6546b64;
    }

    private static int finish(int h, int length) {
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
