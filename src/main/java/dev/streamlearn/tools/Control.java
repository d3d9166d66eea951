package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.job.Topic;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends one command to the running job's trainers and waits for the job's answer: the model-log
 * line that carries the command's id (the job writes it with its next checkpoint). So a refused
 * command fails here, with the job's reason, rather than only on the model log.
 */
@Command(
        name = "scripts/control",
        mixinStandardHelpOptions = true,
        description = {
            "Sends a command to a model's trainer and prints the job's answer from the model log: rollback MODEL"
                    + " VERSION|previous-better (that version's weights and optimizer state become the next version),"
                    + " freeze MODEL (keep serving, stop learning), resume MODEL, promote MODEL CHALLENGER (serve a"
                    + " challenger now), pin MODEL (no automatic promotions), unpin MODEL.",
            "The job answers at its next checkpoint. Exit status: 0 done, 1 refused (the job's reason is printed),"
                    + " 2 a mistake on the command line, 3 no answer within --wait. scripts/control log prints the"
                    + " model log so far."
        })
public final class Control implements Callable<Integer> {

    /** The commands, as the model-control topic spells them. */
    enum Op {
        ROLLBACK,
        FREEZE,
        RESUME,
        PROMOTE,
        PIN,
        UNPIN;

        String spelled() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int REFUSED = 1;
    public static final int NO_ANSWER = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "COMMAND", description = "rollback, freeze, resume, promote, pin or unpin.")
    Op op;

    @Parameters(index = "1", paramLabel = "MODEL", description = "The model's id.")
    String model;

    @Parameters(
            index = "2",
            arity = "0..1",
            paramLabel = "VERSION|CHALLENGER",
            description = "A rollback's version (or previous-better); a promotion's challenger.")
    String target;

    @Option(names = "--force", description = "Roll back even to a version with non-finite values.")
    boolean force;

    @Option(
            names = "--wait",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "How long to wait for the job's answer (0: send and do not wait; default ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(
            names = "--control-topic",
            paramLabel = "T",
            description = "Where commands go (default: the job's, ${DEFAULT-VALUE}).")
    String controlTopic = Topic.CONTROL.defaultName;

    @Option(
            names = "--model-log-topic",
            paramLabel = "T",
            description = "Where the job answers (default: the job's, ${DEFAULT-VALUE}).")
    String modelLogTopic = Topic.MODEL_LOG.defaultName;

    @Mixin
    KafkaClientOptions kafka;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    public static void main(String[] args) {
        Tool.exit(new Control(), args);
    }

    /** Runs the tool, printing to the given streams; returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Control tool = new Control();
        tool.out = out;
        tool.err = err;
        return Tool.run(tool, args, out, err);
    }

    @Override
    public Integer call() throws IOException {
        if (waitSeconds < 0) {
            throw new IllegalArgumentException("--wait takes seconds >= 0, not " + waitSeconds);
        }
        String id = UUID.randomUUID().toString();
        String command = command(op, model, target, force, id);
        if (waitSeconds == 0) {
            send(command);
            return 0;
        }
        // the answer is looked for from before the command is sent, so it cannot be missed
        try (KafkaConsumer<String, String> answers =
                kafka.fromNowOn(modelLogTopic, "isolation.level", "read_committed")) {
            send(command);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : answers.poll(Duration.ofMillis(500))) {
                    JsonNode line = answerTo(id, r.value());
                    if (line != null) {
                        out.println(describe(line));
                        return "rejected".equals(line.path("event").asText()) ? REFUSED : 0;
                    }
                }
            }
        }
        err.printf(
                "control: no answer on %s within %d s; the job answers at its next checkpoint: is it running"
                        + " (scripts/status)?%n",
                modelLogTopic, waitSeconds);
        return NO_ANSWER;
    }

    private void send(String command) throws IOException {
        try (KafkaProducer<String, String> producer = kafka.stringProducer("acks", "all")) {
            producer.send(new ProducerRecord<>(controlTopic, model, command)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the command was not sent to " + controlTopic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending the command", e);
        }
        err.println("sent " + command);
    }

    /** The command's JSON; a misuse of the command line is an {@link IllegalArgumentException}. */
    static String command(Op op, String model, String target, boolean force, String id) {
        ObjectNode c = JSON.createObjectNode().put("op", op.spelled()).put("model", model);
        switch (op) {
            case ROLLBACK:
                if (target == null) {
                    throw new IllegalArgumentException("rollback needs MODEL and VERSION (or previous-better)");
                }
                if (target.equals("previous-better")) {
                    c.put("to", target);
                } else if (target.matches("[0-9]{1,18}")) {
                    c.put("version", Long.parseLong(target));
                } else {
                    throw new IllegalArgumentException(
                            "VERSION must be a whole number or previous-better, not '" + target + "'");
                }
                if (force) {
                    c.put("force", true);
                }
                break;
            case PROMOTE:
                if (target == null) {
                    throw new IllegalArgumentException(
                            "promote needs MODEL and CHALLENGER (scripts/status lists a model's learners)");
                }
                c.put("to", target);
                break;
            default:
                if (target != null) {
                    throw new IllegalArgumentException(op.spelled() + " takes MODEL alone, not '" + target + "'");
                }
        }
        if (force && op != Op.ROLLBACK) {
            throw new IllegalArgumentException("--force is for rollback");
        }
        return c.put("id", id).toString();
    }

    /** The model-log line, when it answers the command of this id; else null. */
    static JsonNode answerTo(String id, String value) throws IOException {
        if (value == null || !value.contains(id)) {
            return null;
        }
        JsonNode line = JSON.readTree(value);
        return id.equals(line.path("command").asText(null)) ? line : null;
    }

    /** The answer in a line: {@code model ctr, version 1004: rollback (reason)}. */
    static String describe(JsonNode line) {
        String event = line.path("event").asText();
        String model = line.path("model").asText("?");
        String reason = line.path("reason").asText("");
        if (event.equals("rejected")) {
            return "model " + model + ": refused: " + reason;
        }
        return "model " + model + ", version " + line.path("version").asLong() + ": " + event
                + (line.has("learner") ? " (learner " + line.path("learner").asText() + ")" : "")
                + (reason.isEmpty() ? "" : ": " + reason);
    }
}
