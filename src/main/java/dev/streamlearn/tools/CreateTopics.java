package dev.streamlearn.tools;

import dev.streamlearn.job.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Creates the job's topics that do not exist yet, in one client (scripts/up): one JVM instead of
 * one Kafka command line per topic. Prints the names of the topics, created or found.
 */
@Command(
        name = "create-topics",
        mixinStandardHelpOptions = true,
        description = "Creates the job's topics (their default names) that are missing, and prints every one.")
public final class CreateTopics implements Callable<Integer> {

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "2", description = "Partitions of a new topic.")
    int partitions;

    public static void main(String[] args) {
        Tool.exit(new CreateTopics(), args);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions takes a number >= 1");
        }
        Properties p = kafka.properties();
        p.put("request.timeout.ms", "20000");
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic t : Topic.values()) {
                if (!existing.contains(t.defaultName)) {
                    missing.add(new NewTopic(t.defaultName, partitions, (short) 1));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalArgumentException("could not create the topics at " + kafka.bootstrap() + ": " + e);
        }
        for (Topic t : Topic.values()) {
            System.out.println(t.defaultName);
        }
        return 0;
    }
}
