package dev.streamlearn.datasets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns Open Bandit Dataset logs (ZOZOTOWN impressions with click labels, Saito et al. 2020,
 * Apache-2.0; see src/data/open_bandit/SOURCE.md) into labeled click events: the shown item,
 * its slot, the campaign, the four hashed user features and the user's affinity to the shown
 * item. Files are merged in timestamp order, as the impressions happened.
 */
public final class OpenBanditEvents {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    private OpenBanditEvents() {}

    public static List<DatasetEvent> read(String model, List<Path> files) {
        List<DatasetEvent> events = new ArrayList<>();
        for (Path file : files) {
            events.addAll(readFile(model, file));
        }
        events.sort(Comparator.comparingLong(e -> e.ts)); // stable: keeps file order for equal times
        return events;
    }

    private static List<DatasetEvent> readFile(String model, Path file) {
        String campaign = file.getFileName().toString().replaceFirst("\\.csv$", "");
        List<DatasetEvent> events = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String[] header = in.readLine().split(",", -1);
            int affinityStart = indexOf(header, "user-item_affinity_0");
            String line;
            while ((line = in.readLine()) != null) {
                String[] c = line.split(",", -1);
                long ts = OffsetDateTime.parse(c[1], TIMESTAMP).toInstant().toEpochMilli();
                int item = Integer.parseInt(c[2]);
                int click = Integer.parseInt(c[4]);
                ObjectNode f = DatasetEvent.features();
                f.put("item", c[2]);
                f.put("position", c[3]);
                f.put("campaign", campaign);
                f.put("item_position", c[2] + "@" + c[3]);
                for (int u = 0; u < 4; u++) {
                    f.put("user_" + u, c[6 + u]);
                }
                f.put("affinity", Double.parseDouble(c[affinityStart + item]));
                events.add(DatasetEvent.of(campaign + "-" + c[0], ts, model, click, f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return events;
    }

    private static int indexOf(String[] header, String column) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + column);
    }
}
