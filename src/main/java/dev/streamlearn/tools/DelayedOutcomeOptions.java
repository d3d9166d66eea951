package dev.streamlearn.tools;

import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.datasets.DelayedOutcomes;
import dev.streamlearn.job.Topic;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Option;

/** Sending a labeled stream as a click system would: impressions now, outcomes later ({@link DelayedOutcomes}). */
final class DelayedOutcomeOptions {

    @Option(
            names = "--delayed-outcomes",
            paramLabel = "MEDIAN_MS",
            description = "Send each event as a request that asks to be remembered (\"log\":true), and each"
                    + " positive label as an outcome MEDIAN_MS later (log-normal delays, event time), for the"
                    + " job to join; no labeled events.")
    Long medianMillis;

    @Option(names = "--outcomes-topic", paramLabel = "T", description = "With --delayed-outcomes: the outcomes topic.")
    String outcomesTopic = Topic.OUTCOMES.defaultName;

    @Option(
            names = "--delay-seed",
            paramLabel = "S",
            defaultValue = "1",
            description = "With --delayed-outcomes: the seed of the delays.")
    long seed;

    /** Sends the requests and outcomes of {@code events} in event-time order; every send checked. */
    void send(List<DatasetEvent> events, String requestsTopic, String idPrefix, KafkaSender sender, PrintStream err) {
        List<DelayedOutcomes.Outgoing> records = DelayedOutcomes.of(events, medianMillis, seed, idPrefix);
        long sent = sender.sendAll(records.size(), (out, i) -> {
            DelayedOutcomes.Outgoing r = records.get(i);
            out.send(r.outcome ? outcomesTopic : requestsTopic, null, r.json);
        });
        long outcomes = records.stream().filter(r -> r.outcome).count();
        err.printf(
                "sent %d records: %d requests to %s (each to be remembered) and %d outcomes to %s, median delay %d"
                        + " ms%n",
                sent, records.size() - outcomes, requestsTopic, outcomes, outcomesTopic, medianMillis);
    }
}
