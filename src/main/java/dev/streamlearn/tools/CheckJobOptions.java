package dev.streamlearn.tools;

import dev.streamlearn.job.JobConfig;
import dev.streamlearn.job.KafkaOptions;
import dev.streamlearn.job.LearningJob;
import dev.streamlearn.job.Topic;
import dev.streamlearn.options.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Checks the job's options as the job will at its start, before anything is submitted or saved:
 * prints the one line that says what is wrong and exits 2, or exits 0. Used by scripts/submit.
 * Where the brokers answer, it also checks that the input topics the job needs exist: a source of
 * a missing topic fails the job at its start and at every restart after it.
 */
public final class CheckJobOptions {

    /** How long the brokers have to list their topics; a broker that does not answer is not checked. */
    private static final int LIST_TOPICS_MILLIS = 3_000;

    /** The environment variable that turns the topics' check off (scripts/submit: no broker answers). */
    static final String TOPICS_CHECK = "STREAMLEARN_TOPICS_CHECK";

    private CheckJobOptions() {}

    public static void main(String[] args) throws InterruptedException {
        String problem = problem(args, !"off".equals(System.getenv(TOPICS_CHECK)));
        if (problem != null) {
            System.err.println(problem);
            System.exit(2);
        }
    }

    /** What keeps the job from starting with these options, in a line, or null; {@code topics}: ask the brokers too. */
    static String problem(String[] args, boolean topics) throws InterruptedException {
        JobConfig config;
        try {
            config = JobConfig.fromArgs(args);
        } catch (InvalidConfigException e) {
            return e.getMessage();
        }
        Set<String> existing = topics ? topicsIfTheyAnswer(config) : null;
        if (existing == null) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        for (Topic t : LearningJob.inputTopicsNeeded(config)) {
            if (!existing.contains(config.topic(t))) {
                missing.add(t.key + " '" + config.topic(t) + "'");
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        boolean one = missing.size() == 1;
        return String.join(" and ", missing) + (one ? " does" : " do") + " not exist on "
                + config.get(KafkaOptions.BOOTSTRAP_SERVERS) + ": create " + (one ? "it" : "them")
                + ", or name one that does (scripts/up creates the default topics)";
    }

    /** The topics of the job's brokers, or null when they do not list them in time. */
    private static Set<String> topicsIfTheyAnswer(JobConfig config) throws InterruptedException {
        Properties p = config.kafkaClientProperties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(KafkaOptions.BOOTSTRAP_SERVERS));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(LIST_TOPICS_MILLIS));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(LIST_TOPICS_MILLIS));
        try (Admin admin = Admin.create(p)) {
            return admin.listTopics().names().get(LIST_TOPICS_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return null; // unreachable, or refusing these credentials: the job's failure will say which
        }
    }
}
