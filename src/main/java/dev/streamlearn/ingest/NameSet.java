package dev.streamlearn.ingest;

/**
 * The names of one JSON object read so far, to refuse a name twice. Reused from object to object
 * and emptied in constant time: cheaper per event than Jackson's duplicate detection, which
 * builds a HashSet for every object of more than two fields.
 */
final class NameSet {

    private String[] names = new String[64];
    private SlotMarks marks = new SlotMarks(64);
    private int size;

    void clear() {
        size = 0;
        marks.clearAll();
    }

    /** Adds {@code name}; false when it was there already. */
    boolean add(String name) {
        if (2 * (size + 1) > names.length) {
            grow();
        }
        if (!insert(names, marks, name)) {
            return false;
        }
        size++;
        return true;
    }

    private static boolean insert(String[] names, SlotMarks marks, String name) {
        int mask = names.length - 1;
        int h = name.hashCode();
        int i = (h ^ (h >>> 16)) & mask;
        while (marks.taken(i)) {
            if (names[i].equals(name)) {
                return false;
            }
            i = (i + 1) & mask;
        }
        marks.take(i);
        names[i] = name;
        return true;
    }

    private void grow() {
        String[] biggerNames = new String[names.length * 2];
        SlotMarks biggerMarks = new SlotMarks(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            if (marks.taken(i)) {
                insert(biggerNames, biggerMarks, names[i]);
            }
        }
        names = biggerNames;
        marks = biggerMarks;
    }
}
