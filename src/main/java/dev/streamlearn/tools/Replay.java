package dev.streamlearn.tools;

import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.datasets.DatasetSource;
import dev.streamlearn.job.Topic;
import dev.streamlearn.records.SeriesPoint;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Replays a dataset into Kafka as labeled events (and, optionally, every n-th one also as a
 * prediction request), or a series as points keyed by series, at a given rate, with a progress
 * bar. Every send is checked: a record Kafka did not take is counted, and the tool fails saying
 * how many.
 */
@Command(
        name = "scripts/replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Sends a dataset to Kafka as labeled events (or, for a series, as points keyed by series).")
public final class Replay implements Callable<Integer> {

    @Mixin
    DatasetOptions data;

    @Mixin
    RangeOptions range;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Events per second (0: as fast as possible).")
    int rate;

    @Option(
            names = "--requests-every",
            paramLabel = "N",
            defaultValue = "0",
            description = "Also send every N-th event (without its label) as a prediction request.")
    int requestsEvery;

    @Option(
            names = "--topic",
            paramLabel = "T",
            description = "The topic (default: the job's labeled-events topic; for a series, its series-points topic).")
    String topic;

    @Option(names = "--requests-topic", paramLabel = "T", description = "The prediction-requests topic.")
    String requestsTopic = Topic.REQUESTS.defaultName;

    @Mixin
    DelayedOutcomeOptions delayed;

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(
            names = "--broker-wait",
            paramLabel = "SECONDS",
            defaultValue = "120",
            description = "How long to keep trying while Kafka does not answer (a broker restarting) before giving"
                    + " up with the command that sends the rest.")
    int brokerWaitSeconds;

    @Spec
    CommandSpec spec;

    private PrintStream err = System.err;

    public static void main(String[] args) {
        Tool.exit(new Replay(), args);
    }

    @Override
    public Integer call() {
        if (requestsEvery < 0) {
            throw new IllegalArgumentException("--requests-every takes a number >= 0");
        }
        DatasetSource source = data.source();
        if (source.isSeries()) {
            List<SeriesPoint> points = range.of(source.points());
            DatasetOptions.reportSkipped("replay", source, err);
            String to = topic != null ? topic : Topic.SERIES.defaultName;
            // keyed by series: Kafka keeps each series in order within its partition
            long sent = rangeSender()
                    .sendAll(
                            points.size(),
                            (records, i) -> records.send(
                                    to, points.get(i).series, points.get(i).toJson()));
            err.printf(
                    "replay: sent %d points%s to %s%n",
                    sent, points.isEmpty() ? "" : " of series " + points.get(0).series, to);
            return 0;
        }
        List<DatasetEvent> events = range.of(source.events());
        DatasetOptions.reportSkipped("replay", source, err);
        if (delayed.medianMillis != null) {
            if (requestsEvery > 0 || topic != null) {
                throw new IllegalArgumentException(
                        "--delayed-outcomes sends requests and outcomes, not labeled events: leave out --topic and"
                                + " --requests-every");
            }
            delayed.send(events, requestsTopic, "req-" + range.skip + "-", sender(), err);
            return 0;
        }
        String to = topic != null ? topic : Topic.LABELED.defaultName;
        Map<String, Integer> rejected = Rejections.of(events, to);
        if (!rejected.isEmpty()) {
            err.printf(
                    "replay: the job will reject %d of the %d events %s: they go to the dead-letter topic"
                            + " (scripts/dead-letters shows each with its reason)%n",
                    rejected.values().stream().mapToInt(Integer::intValue).sum(), events.size(), rejected);
        }
        long sent = rangeSender().sendAll(events.size(), (records, i) -> {
            DatasetEvent e = events.get(i);
            records.send(to, null, e.json);
            if (requestsEvery > 0 && i % requestsEvery == 0) {
                records.send(requestsTopic, null, e.asRequest("req-" + (range.skip + i)));
            }
        });
        err.printf(
                "replay: sent %d records: %d events to %s%s%n",
                sent,
                events.size(),
                to,
                requestsEvery > 0
                        ? " and " + ((events.size() + requestsEvery - 1) / requestsEvery) + " requests to "
                                + requestsTopic
                        : "");
        return 0;
    }

    private KafkaSender sender() {
        if (brokerWaitSeconds < 1) {
            throw new IllegalArgumentException("--broker-wait takes a number of seconds >= 1");
        }
        return new KafkaSender(kafka, rate, quiet, err, brokerWaitSeconds * 1000L);
    }

    /** A sender whose items are the events (or points) of the range: it can say how to send the rest. */
    private KafkaSender rangeSender() {
        return sender().resumingWith(first ->
                resumeCommand(spec.commandLine().getParseResult().originalArgs(), first));
    }

    /**
     * This command line again, to send the items of the range from {@code firstItem} on: the same
     * arguments with {@code --skip} and {@code --limit} moved.
     */
    String resumeCommand(List<String> args, int firstItem) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--skip") || a.equals("--limit")) {
                i++; // and its value
            } else if (!a.startsWith("--skip=") && !a.startsWith("--limit=")) {
                kept.add(a);
            }
        }
        kept.add("--skip");
        kept.add(String.valueOf((long) range.skip + firstItem));
        if (range.limit != Integer.MAX_VALUE) {
            kept.add("--limit");
            kept.add(String.valueOf(Math.max(0, range.limit - firstItem)));
        }
        StringBuilder b = new StringBuilder(spec.name());
        for (String a : kept) {
            b.append(' ').append(a.matches("[A-Za-z0-9_./:,=@%+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }
}
