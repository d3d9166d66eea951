package dev.streamlearn.tools;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "cpu-by-process",
        mixinStandardHelpOptions = true,
        description = "Runs a command and prints, once it ends, the CPU seconds that every process of the machine"
                + " used meanwhile, by kind of process (read from /proc), with the command's wall time. Exits"
                + " with the command's exit code.")
public final class CpuByProcess implements Callable<Integer> {

    @Option(names = "--interval-ms", defaultValue = "250", paramLabel = "MS", description = "Between two readings.")
    long intervalMs;

    @Option(names = "--log", paramLabel = "FILE", description = "Where the command's output goes (default: here).")
    Path log;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
    List<String> command;

    public static void main(String[] args) {
        Tool.exit(new CpuByProcess(), args);
    }

    @Override
    public Integer call() throws Exception {
        ProcessCpu cpu = new ProcessCpu(Path.of("/proc"));
        cpu.sample();
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        if (log != null) {
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        Process run = builder.start();
        try {
            while (!run.waitFor(intervalMs, TimeUnit.MILLISECONDS)) {
                cpu.sample();
            }
            cpu.sample();
        } finally {
            if (run.isAlive()) { // this tool failed or was stopped: the command goes with it
                run.descendants().forEach(ProcessHandle::destroy);
                run.destroy();
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        List<ProcessCpu.Use> uses = cpu.byKind(ThreadCpu.ticksPerSecond());
        double total = uses.stream().mapToDouble(ProcessCpu.Use::seconds).sum();
        System.out.printf(
                Locale.ROOT, "%n%s: %.0f s wall, exit %d%n%n", String.join(" ", command), wall, run.exitValue());
        System.out.println("| processes | count | CPU (s) | share |");
        System.out.println("|---|---|---|---|");
        for (ProcessCpu.Use u : uses) {
            if (u.seconds() >= 1) {
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %d | %.0f | %.0f %% |%n",
                        u.kind(),
                        u.processes(),
                        u.seconds(),
                        100 * u.seconds() / total);
            }
        }
        System.out.printf(Locale.ROOT, "| all (kinds under 1 s included) | | %.0f | |%n", total);
        return run.exitValue();
    }
}
