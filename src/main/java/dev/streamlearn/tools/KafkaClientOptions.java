package dev.streamlearn.tools;

import dev.streamlearn.job.KafkaClientProperties;
import java.nio.file.Path;
import java.util.Properties;
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

    /** The brokers. */
    public String bootstrap() {
        return LocalStack.required(bootstrap, "--bootstrap HOSTS", "the Kafka brokers");
    }
}
