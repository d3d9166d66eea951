package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.job.KafkaClientProperties;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Option;

/** Where a tool's Kafka is and how its clients log in: the brokers, and the job's client properties file. */
public final class KafkaClientOptions {

    @Option(
            names = "--bootstrap",
            paramLabel = "HOSTS",
            defaultValue = "${env:" + LocalStack.BOOTSTRAP_ENV + "}",
            description = "Kafka brokers (default: the local stack's, when run through scripts/).")
    String bootstrap;

    @Option(
            names = "--kafka-properties",
            paramLabel = "FILE",
            description = "Kafka client settings (SASL, TLS), the file the job takes as kafka.properties-file.")
    Path propertiesFile;

    /** The file's settings (checked as the job checks them) and the brokers, for a client to add its own to. */
    public Properties properties() {
        Properties p = propertiesFile == null ? new Properties() : KafkaClientProperties.load(propertiesFile);
        p.put("bootstrap.servers", bootstrap());
        return p;
    }

    /** A producer of string keys and values, with the given settings (key, value, key, value ...) over the client's. */
    public KafkaProducer<String, String> stringProducer(String... settings) {
        Properties p = with(properties(), settings);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /**
     * A consumer of the records written to {@code topic} from now on (each partition assigned, its
     * position taken at its end), string keys and values, nothing committed; settings as for
     * {@link #stringProducer}.
     */
    public KafkaConsumer<String, String> fromNowOn(String topic, String... settings) {
        KafkaConsumer<String, String> consumer = assignedTo(topic, settings);
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position); // the end now, not when it is first polled
        return consumer;
    }

    /**
     * Gives each committed record's value of {@code topic} to {@code each}, from the topic's beginning
     * to its end as it is now (each partition in order), or on until the process is stopped when
     * {@code follow}: every record written until then is read, none waited for beyond it.
     */
    public void readCommitted(String topic, boolean follow, Consumer<String> each) {
        try (KafkaConsumer<String, String> consumer = assignedTo(topic, "isolation.level", "read_committed")) {
            List<TopicPartition> partitions = List.copyOf(consumer.assignment());
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (follow || partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    each.accept(r.value());
                }
            }
        }
    }

    /**
     * Prints each committed record of {@code topic} ({@link #readCommitted}) whose JSON {@code field}
     * is {@code wanted}, every record when it is null; returns how many it printed of each value of
     * the field, by value ("null" for a record without it).
     */
    public Map<String, Long> printWhere(String topic, boolean follow, String field, String wanted, PrintWriter out) {
        Map<String, Long> printed = new TreeMap<>();
        readCommitted(topic, follow, value -> {
            String actual = textField(value, field);
            if (wanted == null || wanted.equals(actual)) {
                out.println(value);
                printed.merge(String.valueOf(actual), 1L, Long::sum);
            }
        });
        return printed;
    }

    /** A field of a JSON object's text, as text; null when the text is not a JSON object or has no such field. */
    private static String textField(String json, String field) {
        try {
            JsonNode value = json == null ? null : Json.MAPPER.readTree(json).get(field);
            return value == null ? null : value.asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** Jackson, loaded by the first tool that prints records and not at every tool's start. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private KafkaConsumer<String, String> assignedTo(String topic, String... settings) {
        Properties c = with(properties(), settings);
        c.put("key.deserializer", StringDeserializer.class.getName());
        c.put("value.deserializer", StringDeserializer.class.getName());
        c.put("enable.auto.commit", "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c);
        List<TopicPartition> partitions;
        try {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            consumer.close();
            throw new IllegalArgumentException("no Kafka broker answered at " + bootstrap() + " within 30 s");
        }
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalArgumentException("there is no topic '" + topic + "' on " + bootstrap());
        }
        consumer.assign(partitions);
        return consumer;
    }

    private static Properties with(Properties p, String... settings) {
        for (int i = 0; i + 1 < settings.length; i += 2) {
            p.put(settings[i], settings[i + 1]);
        }
        return p;
    }

    /** The brokers. */
    public String bootstrap() {
        return LocalStack.required(bootstrap, "--bootstrap HOSTS", "the Kafka brokers");
    }
}
