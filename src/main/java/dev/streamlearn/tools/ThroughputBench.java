package dev.streamlearn.tools;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The three steps of scripts/bench-throughput that are not Flink's command line: fill the bench
 * topics with a generated click stream, measure how fast a running job gets through them (from
 * its REST metrics), and summarize the runs as min/median/max with ratios taken within each run.
 */
@Command(
        name = "scripts/bench-throughput",
        mixinStandardHelpOptions = true,
        subcommands = {BenchPreload.class, BenchMeasure.class, BenchFirstEvents.class, BenchReport.class},
        description = "Steps of the throughput benchmark (the script runs them; see scripts/bench-throughput --help).")
public final class ThroughputBench implements Callable<Integer> {

    public static void main(String[] args) {
        Tool.exit(new ThroughputBench(), args);
    }

    @Override
    public Integer call() {
        throw new IllegalArgumentException("name a step: preload, measure, first-events or report");
    }
}
