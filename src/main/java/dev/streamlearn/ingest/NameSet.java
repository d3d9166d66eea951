package dev.streamlearn.ingest;

import java.util.Arrays;

/**
 * The names of one JSON object read so far, to refuse a name twice. Reused from object to object
 * and emptied in constant time: cheaper per event than Jackson's duplicate detection, which
 * builds a HashSet for every object of more than two fields.
 */
final class NameSet {

    private String[] names = new String[64];
    private int[] marks = new int[64];
    private int mark = 1;
    private int size;

    void clear() {
        size = 0;
        if (++mark == Integer.MAX_VALUE) {
            Arrays.fill(marks, 0);
            mark = 1;
        }
    }

    /** Adds {@code name}; false when it was there already. */
    boolean add(String name) {
        if (2 * (size + 1) > names.length) {
            grow();
        }
        if (!insert(names, marks, mark, name)) {
            return false;
        }
        size++;
        return true;
    }

    private static boolean insert(String[] names, int[] marks, int mark, String name) {
        int mask = names.length - 1;
        int h = name.hashCode();
        int i = (h ^ (h >>> 16)) & mask;
        while (marks[i] == mark) {
            if (names[i].equals(name)) {
                return false;
            }
            i = (i + 1) & mask;
        }
        marks[i] = mark;
        names[i] = name;
        return true;
    }

    private void grow() {
        String[] biggerNames = new String[names.length * 2];
        int[] biggerMarks = new int[names.length * 2];
        for (int i = 0; i < names.length; i++) {
            if (marks[i] == mark) {
                insert(biggerNames, biggerMarks, mark, names[i]);
            }
        }
        names = biggerNames;
        marks = biggerMarks;
    }
}
