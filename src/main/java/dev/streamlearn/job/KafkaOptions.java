package dev.streamlearn.job;

import dev.streamlearn.options.Option;
import dev.streamlearn.options.OptionType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** How the job reaches Kafka: brokers, consumer group, client settings, where sources start, sink guarantees. */
public final class KafkaOptions {

    private KafkaOptions() {}

    /** Where sources start when there is no checkpoint or savepoint. */
    public enum StartingOffsets {
        /** The group's committed offsets, else the earliest. */
        COMMITTED,
        EARLIEST,
        LATEST;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The Kafka sinks' delivery guarantee, as Flink's, named as in the options. */
    public enum SinkGuarantee {
        AT_LEAST_ONCE(DeliveryGuarantee.AT_LEAST_ONCE),
        EXACTLY_ONCE(DeliveryGuarantee.EXACTLY_ONCE),
        NONE(DeliveryGuarantee.NONE);

        final DeliveryGuarantee flink;

        SinkGuarantee(DeliveryGuarantee flink) {
            this.flink = flink;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final Option<String> BOOTSTRAP_SERVERS = Option.key("kafka.bootstrap-servers", OptionType.STRING)
            .rule(v -> !v.isBlank(), "must name a broker (host:port)")
            .description("Kafka brokers, `host:port[,host:port]`.")
            .build();

    public static final Option<String> GROUP_ID = Option.key("kafka.group-id", OptionType.STRING)
            .defaultValue("streamlearn")
            .rule(v -> !v.isBlank(), "must not be empty")
            .description("Consumer group of the sources; offsets are committed on checkpoints.")
            .build();

    public static final Option<String> PROPERTIES_FILE = Option.key("kafka.properties-file", OptionType.STRING)
            .defaultValue("")
            .description("A Kafka client properties file (SASL, TLS) for every source and sink, read where the job"
                    + " starts; see [docs/OPERATIONS.md](docs/OPERATIONS.md#secured-kafka-sasl-tls).")
            .build();

    public static final Option<StartingOffsets> STARTING_OFFSETS = Option.key(
                    "kafka.starting-offsets", OptionType.oneOf(StartingOffsets.class))
            .defaultValue(StartingOffsets.COMMITTED)
            .description("Where sources start without a checkpoint or savepoint: `committed` (the group's offsets,"
                    + " else earliest), `earliest` or `latest`.")
            .build();

    public static final Option<SinkGuarantee> DELIVERY_GUARANTEE = Option.key(
                    "sink.delivery-guarantee", OptionType.oneOf(SinkGuarantee.class))
            .defaultValue(SinkGuarantee.AT_LEAST_ONCE)
            .description("Kafka sinks: `at-least-once` (predictions visible at once), `exactly-once` (visible when a"
                    + " checkpoint completes; readers need `isolation.level=read_committed`) or `none`.")
            .build();

    public static final Option<String> LABELED_SKIP_BEFORE = Option.key("labeled.skip-before", OptionType.STRING)
            .defaultValue("")
            .rule(
                    v -> v.isEmpty() || v.equals("now") || skipBefore(v) != null,
                    "is none of now, epoch milliseconds, an ISO-8601 instant such as 2026-11-28T14:00:00Z")
            .description("Drop labeled events whose Kafka timestamp is earlier: `now` (when the job is submitted),"
                    + " epoch ms or an ISO-8601 instant; how `scripts/rollback --skip-to` skips bad data.")
            .build();

    public static final Option<Long> TOPIC_DISCOVERY_MILLIS = Option.key(
                    "kafka.topic-discovery-millis", OptionType.LONG)
            .defaultValue(30_000L)
            .rule(v -> v >= 100, "must be >= 100 (a lookup of the topic's partitions each time)")
            .description("How often a source whose topic may be created after the job starts (`outcomes`) looks for"
                    + " it; once found, it is read from its start.")
            .build();

    public static final List<Option<?>> OPTIONS = List.of(
            BOOTSTRAP_SERVERS,
            GROUP_ID,
            PROPERTIES_FILE,
            STARTING_OFFSETS,
            DELIVERY_GUARANTEE,
            LABELED_SKIP_BEFORE,
            TOPIC_DISCOVERY_MILLIS);

    /**
     * The epoch millis of a {@link #LABELED_SKIP_BEFORE} value: {@code now} is the moment this is
     * called (when the job is built, on the client, so restarts keep the same cut); empty is
     * {@code Long.MIN_VALUE} (nothing skipped); null when the value is none of the forms.
     */
    static Long skipBefore(String value) {
        if (value.isEmpty()) {
            return Long.MIN_VALUE;
        }
        if (value.equals("now")) {
            return System.currentTimeMillis();
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            // an instant
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
