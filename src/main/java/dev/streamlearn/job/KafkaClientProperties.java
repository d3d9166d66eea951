package dev.streamlearn.job;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A Kafka client properties file (SASL, TLS and other client settings), as Kafka's own tools take
 * with {@code --command-config}: handed to every Kafka source and sink of the job and to the tools
 * that write to or read from Kafka. The secrets stay in the file: only its path is an argument, so
 * they never show in the job's arguments in the web UI, and Kafka's clients log them as [hidden].
 * The file is checked when it is read: a key Kafka's clients do not know (a typo that would show
 * only as a failed login later), a value they refuse, or a key the job sets itself fails at once.
 */
public final class KafkaClientProperties {

    /** Set by the job and the tools from their own options or for their semantics; never from the file. */
    static final Set<String> SET_BY_THE_JOB = Set.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ConsumerConfig.GROUP_ID_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    private static final Set<String> KNOWN = known();

    private KafkaClientProperties() {}

    /**
     * Reads and checks {@code file}.
     *
     * @throws IllegalArgumentException one line: what is wrong with the file and which key
     */
    public static Properties load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e);
        }
        check(p, file);
        return p;
    }

    private static void check(Properties p, Path file) {
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            if (SET_BY_THE_JOB.contains(key)) {
                throw new IllegalArgumentException(
                        file + " sets " + key + ", which the job sets itself (remove it from the file)");
            }
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException(
                        file + " sets " + key + ", which is not a Kafka consumer, producer or admin client setting");
            }
        }
        Properties all = withSerdes(p);
        try {
            // only parsed and checked here: no client is made
            new ConsumerConfig(all);
            new ProducerConfig(all);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** The properties with the (de)serializers a client config must have to be checked. */
    private static Properties withSerdes(Properties p) {
        Properties all = new Properties();
        all.putAll(p);
        all.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        all.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        all.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        all.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        all.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return all;
    }

    private static Set<String> known() {
        Set<String> names = new HashSet<>(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }
}
