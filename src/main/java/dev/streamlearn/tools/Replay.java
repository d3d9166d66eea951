package dev.streamlearn.tools;

import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.datasets.OpenBanditEvents;
import dev.streamlearn.datasets.TabularEvents;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Replays a dataset into Kafka as labeled events (and, optionally, every n-th one also as a
 * prediction request), at a given rate, with a progress bar. Reads JSON lines in the event
 * format, CSV with a header, ARFF, and the two datasets shipped in src/data.
 */
public final class Replay {

    static final String USAGE = String.join("\n",
            "usage: replay --file PATH[,PATH...] [options]",
            "  --format FMT          jsonl, csv, arff, open-bandit, bike-sharing, or series (time-series points;",
            "                        default: from the file name)",
            "  --series NAME         series: the series name (default: the file name); bike-sharing with",
            "                        --bike-label series sends the hourly rentals as a series",
            "  --value COLUMN        series: the value column (with --time COLUMN; points are sorted by time)",
            "  --model ID            model id written into each event (default ctr; jsonl keeps its own unless given)",
            "  --label COLUMN        csv/arff: the label column (arff default: the last attribute)",
            "  --positive VALUE      csv/arff: label value that means 1; others mean 0 (default: the label is a number)",
            "  --time COLUMN         csv/arff: event-time column, epoch ms or ISO date-time (default: row number)",
            "  --categorical A,B     csv: columns to treat as categorical even when numeric",
            "  --drop A,B            csv/arff: columns to leave out",
            "  --bike-label L        bike-sharing: busy (1 when rentals > 142, the median hour), count, or series",
            "  --skip N              leave out the first N events",
            "  --limit N             send at most N events",
            "  --rate N              events per second (default 2000; 0 = as fast as possible)",
            "  --requests-every N    also send every N-th event (without its label) as a prediction request",
            "  --topic T             topic (default labeled-events; series-points for series, keyed by series)",
            "  --requests-topic T    prediction-requests topic (default prediction-requests)",
            "  --bootstrap HOSTS     Kafka brokers (default 127.0.0.1:9092)",
            "  --quiet               no progress bar");

    private Replay() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args, System.err));
        } catch (IllegalArgumentException e) {
            System.err.println("replay: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args, PrintStream err) {
        Args a = new Args(args, USAGE);
        if (a.help) {
            System.out.println(USAGE);
            return 0;
        }
        String files = a.required("--file");
        String format = a.get("--format", guessFormat(files));
        int skip = a.intValue("--skip", 0);
        int limit = a.intValue("--limit", Integer.MAX_VALUE);
        int rate = a.intValue("--rate", 2000);
        int requestsEvery = a.intValue("--requests-every", 0);
        boolean series = format.equals("series") || "series".equals(a.get("--bike-label", null));
        String topic = a.get("--topic", series ? "series-points" : "labeled-events");
        String requestsTopic = a.get("--requests-topic", "prediction-requests");
        String bootstrap = a.get("--bootstrap", "127.0.0.1:9092");
        boolean quiet = a.flag("--quiet");
        if (series) {
            return sendSeries(a, files, format, topic, bootstrap, skip, limit, rate, quiet, err);
        }
        List<DatasetEvent> events = read(format, files, a);

        List<DatasetEvent> slice = events.subList(Math.min(skip, events.size()),
                (int) Math.min(events.size(), (long) skip + limit));
        sendAll(bootstrap, slice.size(), rate, quiet, err, (producer, i) -> {
            DatasetEvent e = slice.get(i);
            producer.send(new ProducerRecord<>(topic, e.json));
            if (requestsEvery > 0 && i % requestsEvery == 0) {
                producer.send(new ProducerRecord<>(requestsTopic, e.asRequest("req-" + (skip + i))));
            }
        });
        err.printf("replay: sent %d events to %s%s%n", slice.size(), topic,
                requestsEvery > 0 ? " and " + ((slice.size() + requestsEvery - 1) / requestsEvery)
                        + " requests to " + requestsTopic : "");
        return 0;
    }

    private static int sendSeries(Args a, String file, String format, String topic, String bootstrap, int skip,
            int limit, int rate, boolean quiet, PrintStream err) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no such file: " + path);
        }
        String name = a.get("--series", path.getFileName().toString().replaceFirst("\\.[^.]*$", ""));
        List<dev.streamlearn.series.SeriesPoint> points = format.equals("bike-sharing")
                ? dev.streamlearn.datasets.SeriesCsv.bikeSharingHourly(path, name)
                : dev.streamlearn.datasets.SeriesCsv.read(path, name, a.required("--time"), a.required("--value"));
        points = points.subList(Math.min(skip, points.size()), (int) Math.min(points.size(), (long) skip + limit));
        List<dev.streamlearn.series.SeriesPoint> slice = points;
        // keyed by series: Kafka keeps each series in order within its partition
        sendAll(bootstrap, slice.size(), rate, quiet, err, (producer, i) -> producer.send(new ProducerRecord<>(topic,
                slice.get(i).series, dev.streamlearn.datasets.SeriesCsv.json(slice.get(i)))));
        err.printf("replay: sent %d points of series %s to %s%n", points.size(), name, topic);
        return 0;
    }

    /** Sends record i (one or more Kafka records) for i in [0, count) at the rate, with a progress bar. */
    private static void sendAll(String bootstrap, int count, int rate, boolean quiet, PrintStream err,
            java.util.function.ObjIntConsumer<KafkaProducer<String, String>> sendOne) {
        Progress progress = new Progress(err, count, quiet);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(bootstrap))) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                sendOne.accept(producer, i);
                pace(start, i, rate);
                progress.update(i + 1);
            }
            producer.flush();
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalArgumentException("cannot send to Kafka at " + bootstrap + ": " + e.getMessage());
        }
        progress.done();
    }

    private static Properties producerProperties(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("linger.ms", "5");
        p.put("max.block.ms", "15000");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        return p;
    }

    private static void pace(long startNanos, int sent, int rate) {
        if (rate > 0) {
            long wait = startNanos + (long) ((sent + 1) * 1e9 / rate) - System.nanoTime();
            if (wait > 1_000_000) {
                sleep(wait / 1_000_000);
            }
        }
    }

    static List<DatasetEvent> read(String format, String files, Args a) {
        List<Path> paths = new ArrayList<>();
        for (String f : files.split(",")) {
            Path path = Path.of(f.trim());
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("no such file: " + path);
            }
            paths.add(path);
        }
        String model = a.get("--model", null);
        switch (format) {
            case "jsonl":
                return readJsonLines(paths, model);
            case "csv":
            case "arff": {
                List<DatasetEvent> out = new ArrayList<>();
                for (Path path : paths) {
                    TabularEvents.Spec spec = tabularSpec(a, model);
                    if (format.equals("csv") && spec.labelColumn == null) {
                        throw new IllegalArgumentException("csv needs --label COLUMN");
                    }
                    out.addAll(format.equals("csv") ? TabularEvents.readCsv(path, spec)
                            : TabularEvents.readArff(path, spec));
                }
                return out;
            }
            case "open-bandit":
                return OpenBanditEvents.read(model == null ? "ctr" : model, paths);
            case "bike-sharing": {
                String label = a.get("--bike-label", "busy");
                if (!label.equals("busy") && !label.equals("count")) {
                    throw new IllegalArgumentException("--bike-label is busy, count or series, not '" + label + "'");
                }
                return BikeSharingEvents.read(model == null ? "bike" : model, paths.get(0),
                        label.equals("busy") ? BikeSharingEvents.Label.BUSY_HOUR : BikeSharingEvents.Label.COUNT);
            }
            default:
                throw new IllegalArgumentException("unknown format '" + format
                        + "' (jsonl, csv, arff, open-bandit, bike-sharing)");
        }
    }

    private static TabularEvents.Spec tabularSpec(Args a, String model) {
        TabularEvents.Spec spec = new TabularEvents.Spec();
        spec.model = model == null ? "ctr" : model;
        spec.labelColumn = a.get("--label", null);
        spec.positiveValue = a.get("--positive", null);
        spec.timeColumn = a.get("--time", null);
        spec.categorical = new HashSet<>(Arrays.asList(a.get("--categorical", "").split(",")));
        spec.categorical.remove("");
        spec.dropped = new HashSet<>(Arrays.asList(a.get("--drop", "").split(",")));
        spec.dropped.remove("");
        return spec;
    }

    private static List<DatasetEvent> readJsonLines(List<Path> paths, String model) {
        List<DatasetEvent> out = new ArrayList<>();
        for (Path path : paths) {
            try {
                for (String line : Files.readAllLines(path)) {
                    if (!line.isBlank()) {
                        out.add(DatasetEvent.fromJson(line, model));
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
            }
        }
        return out;
    }

    static String guessFormat(String files) {
        String f = files.split(",")[0].toLowerCase(Locale.ROOT);
        if (f.endsWith(".jsonl") || f.endsWith(".json")) {
            return "jsonl";
        }
        if (f.endsWith(".arff")) {
            return "arff";
        }
        if (f.endsWith(".csv")) {
            return "csv";
        }
        throw new IllegalArgumentException("cannot tell the format of " + files + "; give --format");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A one-line progress bar on stderr, redrawn at most ten times a second. */
    private static final class Progress {
        private final PrintStream out;
        private final int total;
        private final boolean quiet;
        private final long start = System.nanoTime();
        private long lastDraw;

        Progress(PrintStream out, int total, boolean quiet) {
            this.out = out;
            this.total = total;
            this.quiet = quiet;
        }

        void update(int sent) {
            long now = System.nanoTime();
            if (quiet || (now - lastDraw < 100_000_000L && sent < total)) {
                return;
            }
            lastDraw = now;
            int width = 30;
            int filled = total == 0 ? width : (int) ((long) sent * width / total);
            double seconds = (now - start) / 1e9;
            out.printf("\r[%s%s] %d/%d %3d%% %6.0f events/s", "#".repeat(filled), ".".repeat(width - filled), sent,
                    total, total == 0 ? 100 : sent * 100 / total, seconds > 0 ? sent / seconds : 0.0);
        }

        void done() {
            if (!quiet) {
                out.println();
            }
        }
    }
}
