package dev.streamlearn.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MurmurHash3Test {

    @Test
    void matchesReferenceVectors() {
        // published values of MurmurHash3_x86_32 (smhasher), seed 0 unless given
        assertEquals(0, MurmurHash3.hash("", 0));
        assertEquals(0x514e28b7, MurmurHash3.hash("", 1));
        assertEquals(0x248bfa47, MurmurHash3.hash("hello", 0));
        assertEquals(0x2e4ff723, MurmurHash3.hash("The quick brown fox jumps over the lazy dog", 0));
    }

    @Test
    void hashesUtf8BytesOfAnyText() {
        String[] samples = {"a", "ab", "abc", "abcd", "abcde", "é", "日本語", "emoji 😀 here", "mixed-ß-∑-𝄞"};
        for (String s : samples) {
            assertEquals(reference(s.getBytes(StandardCharsets.UTF_8), 7), MurmurHash3.hash(s, 7), s);
        }
    }

    @Test
    void aHashOfHashesIsTheHashOfTheirLittleEndianBytes() {
        int a = MurmurHash3.hash("user=u7", 0);
        int b = MurmurHash3.hash("genre=drama", 0);
        int c = -17;
        ByteBuffer bytes = ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(a)
                .putInt(b)
                .putInt(c);
        assertEquals(MurmurHash3.hash(bytes.array(), 0, 8, 5), MurmurHash3.hash(a, b, 5));
        assertEquals(MurmurHash3.hash(bytes.array(), 0, 12, 0), MurmurHash3.hash(a, b, c, 0));
        assertEquals(reference(bytes.array(), 0), MurmurHash3.hash(a, b, c, 0));
    }

    @Test
    void joinedFormEqualsTheHashOfTheJoinedString() {
        assertEquals(MurmurHash3.hash("site=a.com", 0), MurmurHash3.hash("site", '=', "a.com", 0));
    }

    @Test
    void hashesARangeInsideALargerArrayAsTheTextAlone() {
        String[] samples = {"", "plain", "abcdefg", "é", "日本語", "emoji 😀 here", "lone \ud800 high"};
        for (String s : samples) {
            byte[] framed = ("<<<" + s + ">").getBytes(StandardCharsets.UTF_8); // blocks read off any alignment
            assertEquals(MurmurHash3.hash(s, 3), MurmurHash3.hash(framed, 3, framed.length - 4, 3), s);
        }
    }

    @Test
    void twoRangesAndASeparatorHashAsTheBytesJoined() {
        java.util.Random random = new java.util.Random(11);
        for (int aLength = 0; aLength <= 9; aLength++) {
            for (int bLength = 0; bLength <= 9; bLength++) {
                byte[] a = new byte[aLength + 5];
                byte[] b = new byte[bLength + 3];
                random.nextBytes(a);
                random.nextBytes(b);
                byte[] joined = new byte[aLength + 1 + bLength];
                System.arraycopy(a, 2, joined, 0, aLength);
                joined[aLength] = '=';
                System.arraycopy(b, 1, joined, aLength + 1, bLength);
                assertEquals(
                        reference(joined, 9),
                        MurmurHash3.hash(a, 2, aLength, (byte) '=', b, 1, bLength, 9),
                        aLength + " bytes, then " + bLength);
            }
        }
    }

    /** Straight transcription of the reference algorithm over a byte array. */
    @SuppressWarnings("fallthrough") // the tail bytes fold in from the last down, as the reference does
    private static int reference(byte[] data, int seed) {
        int h = seed;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int k = (data[4 * i] & 0xff)
                    | (data[4 * i + 1] & 0xff) << 8
                    | (data[4 * i + 2] & 0xff) << 16
                    | (data[4 * i + 3] & 0xff) << 24;
            k *= 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15);
            k *= 0x1b873593;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int k = 0;
        int tail = blocks * 4;
        switch (data.length & 3) {
            case 3:
                k ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2:
                k ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                k ^= data[tail] & 0xff;
                k *= 0xcc9e2d51;
                k = Integer.rotateLeft(k, 15);
                k *= 0x1b873593;
                h ^= k;
                // fall through
            default:
        }
        h ^= data.length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
