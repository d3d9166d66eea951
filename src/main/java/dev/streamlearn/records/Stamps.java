package dev.streamlearn.records;

import java.security.SecureRandom;

/**
 * Moments of a request on its way through the job, for its latency budget per hop: {@link
 * System#nanoTime} readings, each with the process that took it, since readings of two processes
 * (two TaskManagers) cannot be subtracted.
 */
public final class Stamps {

    /** This process, as the stamps it takes name it; never 0, which marks a stamp not taken. */
    public static final int PROCESS = new SecureRandom().nextInt() | 1;

    private Stamps() {}

    public static long now() {
        return System.nanoTime();
    }

    /**
     * Nanoseconds from a stamp taken by {@code process} to {@code nowNanos} of this process; -1
     * when the stamp was not taken, or taken by another process.
     */
    public static long since(int process, long stampNanos, long nowNanos) {
        return process == PROCESS && stampNanos != 0 ? Math.max(0, nowNanos - stampNanos) : -1;
    }
}
