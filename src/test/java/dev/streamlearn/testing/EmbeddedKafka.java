package dev.streamlearn.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real single-node KRaft Kafka broker in this JVM, on a random port, with small client helpers. */
public final class EmbeddedKafka implements AutoCloseable {

    /**
     * The login of the test kit's SASL/PLAIN brokers: its super user (the kit's brokers refuse any
     * other user without ACLs).
     */
    public static final String SASL_USER = "plain-admin";

    public static final String SASL_PASSWORD = "plain-admin-secret";

    private final KafkaClusterTestKit cluster;
    private final Properties clientSecurity;
    private final KafkaProducer<String, String> producer;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Properties clientSecurity) {
        this.cluster = cluster;
        this.clientSecurity = clientSecurity;
        Properties p = clientProperties();
        p.put("acks", "all");
        p.put("linger.ms", "5");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
    }

    public static EmbeddedKafka start(Path baseDir) throws Exception {
        return start(baseDir, SecurityProtocol.PLAINTEXT, new Properties());
    }

    /**
     * A broker whose clients must log in with SASL/PLAIN as {@link #SASL_USER}; this class's own
     * helpers do. {@code clientLogin} gets the settings a client needs.
     */
    public static EmbeddedKafka startWithSaslLogin(Path baseDir) throws Exception {
        return start(baseDir, SecurityProtocol.SASL_PLAINTEXT, saslLogin(SASL_PASSWORD));
    }

    /** The client settings of a SASL/PLAIN login as {@link #SASL_USER} with {@code password}. */
    public static Properties saslLogin(String password) {
        Properties p = new Properties();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + SASL_USER
                        + "\" password=\"" + password + "\";");
        return p;
    }

    private static EmbeddedKafka start(Path baseDir, SecurityProtocol protocol, Properties clientSecurity)
            throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(protocol)
                .setControllerSecurityProtocol(protocol)
                .setBaseDirectory(baseDir)
                .build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                // one broker: internal topics cannot have more replicas than that
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new EmbeddedKafka(cluster, clientSecurity);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = Admin.create(clientProperties())) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String t : topics) {
                newTopics.add(new NewTopic(t, partitions, (short) 1));
            }
            admin.createTopics(newTopics).all().get();
        }
    }

    /** Sends the records in order (round-robin over partitions) and waits until all are acknowledged. */
    public void send(String topic, Collection<String> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (String r : records) {
            sent.add(producer.send(new ProducerRecord<>(topic, r)));
        }
        acknowledged(producer, sent);
    }

    /** Sends raw values (null: a tombstone) in order and waits until all are acknowledged. */
    public void sendRaw(String topic, List<byte[]> values) {
        Properties p = clientProperties();
        p.put("acks", "all");
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (byte[] v : values) {
                sent.add(raw.send(new ProducerRecord<>(topic, v)));
            }
            acknowledged(raw, sent);
        }
    }

    /**
     * Sends the records with a key each, so records with the same key keep their order (one
     * partition): how a producer of time series keeps each series in order.
     */
    public void sendKeyed(String topic, Collection<String> records, Function<String, String> key) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (String r : records) {
            sent.add(producer.send(new ProducerRecord<>(topic, key.apply(r), r)));
        }
        acknowledged(producer, sent);
    }

    /** Every record in the topic from the beginning, read until {@code expected} are there or the timeout ends. */
    public List<String> readAll(String topic, int expected, Duration timeout) {
        return readAll(topic, expected, timeout, false);
    }

    /** As {@link #readAll(String, int, Duration)}; with {@code committedOnly}, records of open or aborted transactions are skipped. */
    public List<String> readAll(String topic, int expected, Duration timeout, boolean committedOnly) {
        Properties p = consumerProperties();
        if (committedOnly) {
            p.put("isolation.level", "read_committed");
        }
        p.put("group.id", "reader-" + UUID.randomUUID());
        p.put("enable.auto.commit", "false");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }

    /** The end offset of each partition of {@code topic}, by partition number. */
    public long[] endOffsets(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            long[] ends = new long[partitions.size()];
            consumer.endOffsets(partitions).forEach((tp, end) -> ends[tp.partition()] = end);
            return ends;
        }
    }

    /** Writes {@code count} copies of {@code value} to one partition and waits until all are acknowledged. */
    public void sendToPartition(String topic, int partition, int count, String value) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(producer.send(new ProducerRecord<>(topic, partition, null, value)));
        }
        acknowledged(producer, sent);
    }

    /** The brokers and, for a broker that wants one, the login. */
    private Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(clientSecurity);
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }

    private Properties consumerProperties() {
        Properties p = clientProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        return p;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .collect(Collectors.toList());
    }

    @Override
    public void close() throws Exception {
        producer.close();
        cluster.close();
    }

    /** Flushes and waits for each send's acknowledgement: a record Kafka refused fails the test that sent it. */
    private static void acknowledged(KafkaProducer<?, ?> producer, List<Future<RecordMetadata>> sent) {
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("Kafka refused a record: " + e.getCause(), e.getCause());
            }
        }
    }
}
