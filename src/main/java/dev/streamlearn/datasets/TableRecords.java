package dev.streamlearn.datasets;

/** The data records of a table file one at a time, each with the line it starts on, for messages. */
interface TableRecords extends AutoCloseable {

    /** Reads the next record; false at the end of the file. */
    boolean next();

    /** The cells of the record read last, trimmed and unquoted. */
    String[] cells();

    /** The line of the file on which the record read last starts. */
    long line();

    @Override
    void close();
}
