package dev.streamlearn.tools;

import dev.streamlearn.job.JobConfig;
import dev.streamlearn.options.InvalidConfigException;

/**
 * Checks the job's options as the job will at its start, before anything is submitted or saved:
 * prints the one line that says what is wrong and exits 2, or exits 0. Used by scripts/submit.
 */
public final class CheckJobOptions {

    private CheckJobOptions() {}

    public static void main(String[] args) {
        try {
            JobConfig.fromArgs(args);
        } catch (InvalidConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }
}
