package dev.streamlearn.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The records of a CSV file as RFC 4180 has them, the way spreadsheets and pandas write them: a
 * quoted cell may hold commas, doubled quotes and line breaks, lines may end in CRLF, and a UTF-8
 * byte order mark before the header is skipped. Blank lines are skipped; every cell is trimmed.
 * A record that cannot be read (a quote never closed) stops the reader with the file and line.
 */
final class CsvRecords implements TableRecords {

    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private final Path file;
    private final MappingIterator<String[]> records;
    private String[] cells;
    private long line;

    private CsvRecords(Path file, MappingIterator<String[]> records) {
        this.file = file;
        this.records = records;
    }

    /** The file, opened at its header, which {@link #next()} reads first. */
    static CsvRecords open(Path file) {
        try {
            return new CsvRecords(file, CSV.readerFor(String[].class).readValues(Files.newInputStream(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The first record, trimmed: the names of the columns; the file must have one. */
    String[] header() {
        if (!next()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        return cells;
    }

    @Override
    public boolean next() {
        try {
            if (!records.hasNextValue()) {
                return false;
            }
            // where the record starts: a quoted cell may go on over the next lines
            line = records.getParser().currentLocation().getLineNr();
            cells = records.nextValue();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ", line " + line + ": not CSV: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].trim();
        }
        return true;
    }

    @Override
    public String[] cells() {
        return cells;
    }

    @Override
    public long line() {
        return line;
    }

    @Override
    public void close() {
        try {
            records.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }
}
