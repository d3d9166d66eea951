package dev.streamlearn.stack;

import dev.streamlearn.tools.ClusterMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the scripts in scripts/ the way a user does, from the repository root. */
public final class Scripts {

    public static final class Result {
        public final int exit;
        public final String out;
        public final String err;

        Result(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        String lastLine() {
            String[] lines = out.strip().split("\n", -1);
            return lines[lines.length - 1].strip();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static final String QUICK_JIT = "-XX:TieredStopAtLevel=1";

    private Scripts() {}

    /**
     * The environment of the tests' stack, kept apart from a user's own: its own folder
     * (target/e2e-stack) and ports, its processes and tools on the quick compiler alone.
     */
    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("STACK_DIR", Path.of("target", "e2e-stack").toAbsolutePath().toString());
        env.put("KAFKA_PORT", "19292");
        env.put("CONTROLLER_PORT", "19293");
        env.put("UI_PORT", "18081");
        env.put("RPC_PORT", "16123");
        env.put("GATEWAY_PORT", "18090");
        // a test's processes live for seconds: the optimizing compiler's work would not pay back, and
        // took a third of a TaskManager's CPU in a test's life on two cores shared by two stacks
        env.put("STACK_JAVA_OPTS", QUICK_JIT);
        env.put("TOOL_JAVA_OPTS", QUICK_JIT);
        return env;
    }

    /** The arguments of scripts/replay for bike-sharing rows {@code skip} to {@code skip + limit}, then {@code more}. */
    static String[] bikeReplay(int skip, int limit, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--file",
                "src/data/bike_sharing/hour.csv",
                "--format",
                "bike-sharing",
                "--model",
                "bike",
                "--skip",
                String.valueOf(skip),
                "--limit",
                String.valueOf(limit),
                "--quiet"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** A job's metric summed over its subtasks, -1 while the REST API cannot say (a stack restarting). */
    static double metric(ClusterMetrics rest, String job, String name) {
        try {
            return rest.sums(job, name).getOrDefault(name, -1.0);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Starts a script without waiting for it (its output goes to target/e2e-&lt;script&gt;-bg.out). */
    static Process start(Map<String, String> env, String script, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("scripts/" + script);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(Path.of("target", "e2e-" + script + "-bg.out").toFile());
        return pb.start();
    }

    /** Where the last run of a script on the stack of {@code env} wrote its {@code out} or {@code err}: named by the stack, as two stacks' scripts may run at once. */
    static Path output(Map<String, String> env, String script, String stream) {
        return Path.of("target", Path.of(env.get("STACK_DIR")).getFileName() + "-" + script + "." + stream);
    }

    public static Result run(Map<String, String> env, String script, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("scripts/" + script);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path out = output(env, script, "out");
        Path err = output(env, script, "err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("scripts/" + script + " did not finish in 10 minutes");
        }
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
