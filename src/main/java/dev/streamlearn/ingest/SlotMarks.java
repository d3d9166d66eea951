package dev.streamlearn.ingest;

import java.util.Arrays;

/**
 * Which slots of an open-addressing table hold an entry: a slot is taken when its mark is the
 * current round's, so starting a new round empties the whole table in constant time, as a parser
 * that reuses its tables record after record needs.
 */
final class SlotMarks {

    private final int[] marks;
    private int round = 1;

    SlotMarks(int slots) {
        marks = new int[slots];
    }

    /** Empties every slot. */
    void clearAll() {
        if (++round == Integer.MAX_VALUE) {
            Arrays.fill(marks, 0);
            round = 1;
        }
    }

    boolean taken(int slot) {
        return marks[slot] == round;
    }

    void take(int slot) {
        marks[slot] = round;
    }
}
