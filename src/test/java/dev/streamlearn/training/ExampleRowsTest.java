package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.model.CoordinateTable;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExampleRowsTest {

    @Test
    void theRowsOfAnExampleAreFoundOnceAndAgainWhenTheLayoutChangedOrTheExampleDid() {
        CoordinateTable table = new CoordinateTable(1 << 16, 3);
        ExampleRows rows = new ExampleRows();
        int[] example = {70, 5, 40_000};
        assertArrayEquals(new int[] {0, 1, 2}, first(rows.rowsFor(table, example, 3), 3), "rows in order of arrival");
        // the next learner of the same example reads them: nothing is looked up, no row is made
        assertArrayEquals(new int[] {0, 1, 2}, first(rows.rowsFor(table, new int[] {1, 2, 3}, 3), 3));
        assertEquals(3, table.size());
        table.becomeDense();
        assertArrayEquals(example, first(rows.rowsFor(table, example, 3), 3), "a plain table's rows are coordinates");
        rows.nextExample();
        int[] next = {9, 70, 11};
        assertArrayEquals(next, first(rows.rowsFor(table, next, 3), 3));
        assertEquals(5, table.size());
    }

    private static int[] first(int[] rows, int count) {
        return Arrays.copyOf(rows, count);
    }
}
