package dev.streamlearn.tools;

import dev.streamlearn.datasets.ClickStream;
import dev.streamlearn.job.Topic;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes a generated click stream with a known truth ({@link ClickStream}) as JSON lines in the event format. */
@Command(
        name = "scripts/generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Writes a click stream shaped like a display-ad log, with labels drawn from a known logistic model,"
                        + " as JSON lines of labeled events (replay or evaluate them like any dataset), or sends it"
                        + " to Kafka at a rate.")
public final class Generate implements Callable<Integer> {

    @Option(names = "--events", paramLabel = "N", defaultValue = "100000", description = "How many events.")
    long events;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Where to write them (default: standard output, unless --bootstrap sends them to Kafka).")
    Path out;

    @ArgGroup(exclusive = false, heading = "%nStraight to Kafka instead of a file:%n")
    KafkaClientOptions kafka;

    @Option(
            names = "--topic",
            paramLabel = "T",
            description = "With --bootstrap: the topic (default: the job's labeled-events topic).")
    String topic = Topic.LABELED.defaultName;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "2000",
            description = "With --bootstrap: events per second (0: as fast as possible).")
    int rate;

    @Option(names = "--quiet", description = "With --bootstrap: no progress bar.")
    boolean quiet;

    @Option(
            names = "--requests-topic",
            paramLabel = "T",
            description = "With --delayed-outcomes: the prediction-requests topic.")
    String requestsTopic = Topic.REQUESTS.defaultName;

    @Mixin
    DelayedOutcomeOptions delayed;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "The same seed, the same stream.")
    long seed;

    @Option(names = "--model", paramLabel = "ID", defaultValue = "ctr", description = "The model id of the events.")
    String model;

    @Option(
            names = "--drift-at",
            split = ",",
            paramLabel = "N,M",
            description = "Events at which the true weights are drawn anew (sudden drift).")
    List<Long> driftAt = new ArrayList<>();

    @Option(
            names = "--drift-gradual",
            split = ",",
            paramLabel = "FROM-TO",
            description = "Event ranges over which the true weights move linearly to new ones (gradual drift).")
    List<String> driftGradual = new ArrayList<>();

    @Option(
            names = "--label-noise",
            paramLabel = "P",
            defaultValue = "0",
            description = "Share of labels flipped after drawing.")
    double labelNoise;

    @Option(
            names = "--counts-act",
            paramLabel = "HOW",
            defaultValue = "log",
            description = "How the counts move the log-odds: log or linear (through log1p of the count, or"
                    + " in proportion to it).")
    CountsAct countsAct;

    @Option(
            names = "--interactions",
            paramLabel = "S",
            defaultValue = "0",
            description = "Spread of each user's own liking of each item category (a field `category`), on the"
                    + " log-odds: a truth a linear model learns only through the cross user*category (0: none).")
    double interactions;

    @Option(
            names = "--users",
            paramLabel = "N",
            defaultValue = "50000",
            description = "How many users (some far more active than others).")
    int users;

    @Option(
            names = "--categories",
            paramLabel = "N",
            defaultValue = "8",
            description = "With --interactions: how many item categories.")
    int categories;

    /** How the generated counts enter the true log-odds. */
    enum CountsAct {
        LOG,
        LINEAR
    }

    public static void main(String[] args) {
        Tool.exit(new Generate(), args);
    }

    @Override
    public Integer call() throws IOException {
        if (kafka != null && out != null) {
            throw new IllegalArgumentException("--out and --bootstrap: give one, a file or Kafka");
        }
        if (events > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--events takes at most " + Integer.MAX_VALUE);
        }
        ClickStream.Spec spec = new ClickStream.Spec();
        spec.seed = seed;
        spec.model = model;
        spec.driftAt = driftAt;
        for (String range : driftGradual) {
            spec.gradualDrift.add(ClickStream.Gradual.parse(range));
        }
        spec.labelNoise = labelNoise;
        spec.countsActThroughLog = countsAct == CountsAct.LOG;
        if (interactions < 0 || categories < 1 || users < 1) {
            throw new IllegalArgumentException("--interactions must be >= 0, --categories and --users >= 1");
        }
        spec.users = users;
        spec.interactions = interactions;
        spec.categories = categories;
        ClickStream stream = new ClickStream(spec);
        if (delayed.medianMillis != null) {
            if (kafka == null) {
                throw new IllegalArgumentException("--delayed-outcomes sends to Kafka: give --bootstrap");
            }
            delayed.send(stream.take((int) events), requestsTopic, "gen-" + seed + "-", sender(), System.err);
            return 0;
        }
        if (kafka != null) {
            // items are sent in order, so the stream is drawn as it is sent
            long sent = sender().sendAll((int) events, (records, i) -> records.send(topic, null, stream.next().json));
            System.err.printf("generate: sent %d events to %s%n", sent, topic);
            return 0;
        }
        if (out == null) {
            // standard output stays open: flushed, not closed
            Writer w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            write(stream, w);
            w.flush();
        } else {
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                write(stream, w);
            }
        }
        return 0;
    }

    private void write(ClickStream stream, Writer w) throws IOException {
        for (long i = 0; i < events; i++) {
            w.write(stream.next().json);
            w.write('\n');
        }
    }

    private KafkaSender sender() {
        return new KafkaSender(kafka, rate, quiet, System.err);
    }
}
