package dev.streamlearn.datasets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the UCI Bike Sharing hourly counts (Fanaee-T and Gama 2013, CC BY 4.0; see
 * src/data/bike_sharing/SOURCE.md) into labeled events with calendar and weather features.
 * As a click-like binary task the label is 1 for a busy hour, one with more rentals than
 * {@link #BUSY_THRESHOLD} (the median hour of 2011-2012); as a regression task it is the count.
 * The rental counts {@code casual} and {@code registered} sum to the label and are left out.
 */
public final class BikeSharingEvents {

    /** Median hourly rentals over the dataset: a busy hour has more. */
    public static final int BUSY_THRESHOLD = 142;

    public enum Label {
        BUSY_HOUR,
        COUNT
    }

    /** How the file's header begins. */
    static final String HEADER = "instant,dteday,season,yr,mnth,hr";

    private BikeSharingEvents() {}

    public static List<DatasetEvent> read(String model, Path hourCsv, Label label) {
        List<DatasetEvent> events = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(hourCsv, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.startsWith(HEADER)) {
                throw new IllegalArgumentException(hourCsv + " is not the Bike Sharing hour.csv");
            }
            String line;
            while ((line = in.readLine()) != null) {
                String[] c = line.split(",", -1);
                int hour = Integer.parseInt(c[5]);
                long ts = LocalDate.parse(c[1])
                        .atTime(hour, 0)
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
                int count = Integer.parseInt(c[16]);
                double y = label == Label.BUSY_HOUR ? (count > BUSY_THRESHOLD ? 1 : 0) : count;
                ObjectNode f = DatasetEvent.features();
                // instant,dteday,season,yr,mnth,hr,holiday,weekday,workingday,weathersit,temp,atemp,hum,windspeed,...
                f.put("hour", c[5]);
                f.put("weekday", c[7]);
                f.put("workingday", c[8]);
                f.put("hour_workingday", c[5] + "/" + c[8]);
                f.put("holiday", c[6]);
                f.put("season", c[2]);
                f.put("year", c[3]);
                f.put("month", c[4]);
                f.put("weather", c[9]);
                f.put("temp", Double.parseDouble(c[10]));
                f.put("atemp", Double.parseDouble(c[11]));
                f.put("humidity", Double.parseDouble(c[12]));
                f.put("windspeed", Double.parseDouble(c[13]));
                events.add(DatasetEvent.of("bike-" + c[0], ts, model, y, f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + hourCsv, e);
        }
        return events;
    }
}
