package dev.streamlearn.tools;

import dev.streamlearn.job.Topic;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the model log: every stored version, rollback, freeze, promotion and alarm, as the job wrote it. */
@Command(
        name = "scripts/control log",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Prints the model log as the job wrote it (committed entries only), one JSON object per line,"
                + " each model's in the order written, then how many there were (on stderr).")
public final class ModelLogTool implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "ID", description = "Only this model's entries.")
    String model;

    @Option(names = "--follow", description = "Keep printing entries as the job writes them, until interrupted.")
    boolean follow;

    @Option(
            names = "--model-log-topic",
            paramLabel = "T",
            description = "The model log (default: the job's, ${DEFAULT-VALUE}).")
    String topic = Topic.MODEL_LOG.defaultName;

    @Mixin
    KafkaClientOptions kafka;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Tool.exit(new ModelLogTool(), args);
    }

    @Override
    public Integer call() {
        long printed = kafka
                .printWhere(topic, follow, "model", model, spec.commandLine().getOut())
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .sum();
        spec.commandLine()
                .getErr()
                .println(printed + " entr" + (printed == 1 ? "y" : "ies") + (model == null ? "" : " of model " + model)
                        + " on " + topic);
        return 0;
    }
}
