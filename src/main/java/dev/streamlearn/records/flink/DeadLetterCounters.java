package dev.streamlearn.records.flink;

import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.records.DeadLetter;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * An operator's dead letters counted by reason ({@link MetricNames#deadLetters}), whichever operator
 * rejects a record: a parser, the series windows, the trainer, inference or the outcome join. Each
 * reason's counter is registered at its first dead letter, so an operator shows the reasons it
 * produces, and Prometheus one counter with a reason label (a key/value group).
 */
public final class DeadLetterCounters {

    private final MetricGroup group;
    private final Map<String, Counter> byReason = new HashMap<>();

    public DeadLetterCounters(MetricGroup group) {
        this.group = group;
    }

    /** Counts the dead letter; the operator then sends it to its dead-letter output. */
    public DeadLetter count(DeadLetter dead) {
        byReason.computeIfAbsent(dead.reason, r -> group.addGroup(MetricNames.REASON_GROUP, r)
                        .counter(MetricNames.DEAD_LETTERS))
                .inc();
        return dead;
    }
}
