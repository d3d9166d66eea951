package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CoordinateTableTest {

    private static final int MILLION = 1 << 20;

    @Test
    void aCoordinateWithoutARowReadsZeroAndGetsAZeroRowWhenWritten() {
        CoordinateTable t = new CoordinateTable(MILLION, 3);
        assertEquals(-1, t.rowOf(12345));
        assertEquals(0.0, t.weight(12345));
        int row = t.rowFor(12345);
        assertEquals(row, t.rowOf(12345));
        assertEquals(row, t.rowFor(12345), "the same row again");
        for (int a = 0; a < 3; a++) {
            assertEquals(0.0, t.values()[3 * row + a]);
        }
        t.values()[3 * row] = 0.5;
        assertEquals(0.5, t.weight(12345));
        assertEquals(1, t.size());
    }

    @Test
    void holdsWhatIsWrittenThroughGrowthAndTheChangeToThePlainLayout() {
        for (int distinct : new int[] {10, 5_000, 400_000}) {
            CoordinateTable t = new CoordinateTable(MILLION, 2);
            TreeMap<Integer, Double> expected = new TreeMap<>();
            Random r = new Random(distinct);
            for (int i = 0; i < 3 * distinct; i++) {
                int c = r.nextInt(MILLION);
                if (expected.size() == distinct && !expected.containsKey(c)) {
                    continue;
                }
                double v = r.nextGaussian();
                int row = t.rowFor(c);
                t.values()[2 * row + 1] = v;
                expected.put(c, v);
                if (i % 97 == 0) {
                    t.settle();
                }
            }
            t.settle();
            assertEquals(expected.size(), t.size());
            assertArrayEquals(
                    expected.keySet().stream().mapToInt(Integer::intValue).toArray(), t.coordinates());
            for (var e : expected.entrySet()) {
                assertEquals(e.getValue(), t.values()[2 * t.rowOf(e.getKey()) + 1], 0.0, "coordinate " + e.getKey());
            }
            assertEquals(distinct == 400_000, t.isDense(), distinct + " of 2^20 coordinates");
        }
    }

    @Test
    void nonZeroWeightsAreEveryNonZeroWeightInCoordinateOrderInEitherLayout() {
        for (int distinct : new int[] {100, 50_000, 700_000}) { // a comparison sort, the radix sort, the plain layout
            CoordinateTable t = new CoordinateTable(MILLION, 3);
            TreeMap<Integer, Double> expected = new TreeMap<>();
            Random r = new Random(distinct);
            while (t.size() < distinct) {
                int c = r.nextInt(MILLION);
                double w = r.nextInt(4) == 0 ? 0.0 : r.nextGaussian(); // rows whose weight is zero are left out
                int row = t.rowFor(c); // before values(): growing replaces the array
                t.values()[3 * row] = w;
                if (w != 0.0) {
                    expected.put(c, w);
                } else {
                    expected.remove(c);
                }
            }
            t.settle();
            SparseWeights nonZero = t.nonZeroWeights();
            assertArrayEquals(
                    expected.keySet().stream().mapToInt(Integer::intValue).toArray(), nonZero.coords);
            assertArrayEquals(
                    expected.values().stream().mapToDouble(Double::doubleValue).toArray(), nonZero.values, 0.0);
            assertEquals(distinct == 700_000, t.isDense(), distinct + " of 2^20 coordinates");
        }
    }

    @Test
    void theRadixSortOrdersByTheHighHalfAsAComparisonSortDoes() {
        Random r = new Random(3);
        for (int n : new int[] {0, 1, 4095, 4096, 100_000}) {
            long[] keys = new long[n + 5]; // past n: left as it is
            for (int i = 0; i < keys.length; i++) {
                keys[i] = (long) r.nextInt(Integer.MAX_VALUE) << 32 | r.nextInt(Integer.MAX_VALUE);
            }
            long[] expected = keys.clone();
            java.util.Arrays.sort(expected, 0, n);
            CoordinateTable.sortByHighHalf(keys, n);
            assertArrayEquals(expected, keys, n + " keys");
        }
    }

    @Test
    void takesMemoryInProportionToItsRowsUntilThePlainLayoutIsSmaller() {
        CoordinateTable t = new CoordinateTable(MILLION, 3);
        long plain = 8L * 3 * MILLION;
        Random r = new Random(5);
        while (t.size() < 5_000) {
            t.rowFor(r.nextInt(MILLION));
        }
        t.settle();
        assertFalse(t.isDense());
        // per row its 3 numbers, its coordinate and two slots; the arrays at most double that
        assertTrue(t.bytes() <= 2 * 5_000 * (24 + 4 + 2 * 8), "5,000 rows take " + t.bytes());
        assertTrue(t.bytes() * 50 < plain, "a fiftieth of the plain layout's " + plain + ": " + t.bytes());

        while (!t.isDense()) {
            t.rowFor(r.nextInt(MILLION));
            t.settle();
        }
        assertTrue(t.size() > MILLION / 4, "plain only once a good part is used: " + t.size());
        t.clear();
        assertFalse(t.isDense(), "cleared, it gives the memory back");
        assertEquals(0, t.size());
        assertEquals(0.0, t.weight(7));
    }

    @Test
    void marksOfRowsSurviveTheChangeOfLayout() {
        CoordinateTable t = new CoordinateTable(1 << 10, 1);
        for (int c = 0; c < 1 << 10; c += 3) {
            int row = t.rowFor(c);
            if (c % 2 == 0) {
                assertTrue(t.mark(row));
                assertFalse(t.mark(row), "marked already");
            }
        }
        t.becomeDense();
        for (int c = 0; c < 1 << 10; c += 3) {
            assertEquals(c % 2 != 0, t.mark(t.rowOf(c)), "coordinate " + c);
        }
        t.unmark(t.rowOf(6));
        assertTrue(t.mark(t.rowOf(6)));
    }
}
