package dev.streamlearn.datasets;

import dev.streamlearn.ingest.InputLimits;

/**
 * The unit of a dataset's numeric event-time column, decided once for the whole column: epoch
 * seconds when its largest value lies in the range the job refuses as seconds (from
 * {@link InputLimits#SECONDS_LOOK_FROM} to {@link InputLimits#SECONDS_LOOK_BEFORE}: MovieLens' and
 * Unix tools' timestamps), epoch milliseconds otherwise (a date-time cell, read as milliseconds of
 * a year after 1973, keeps the column in milliseconds). Per column, not per value: seconds from
 * 1997 to 2003 straddle 10^9, and read value by value their first years would land in January 1970.
 */
final class EpochColumn {

    private long largest = Long.MIN_VALUE;

    void saw(long time) {
        largest = Math.max(largest, time);
    }

    /** Milliseconds per unit of the column's values: 1,000 for seconds, 1 for milliseconds. */
    long millisPerUnit() {
        return largest >= InputLimits.SECONDS_LOOK_FROM && largest < InputLimits.SECONDS_LOOK_BEFORE ? 1000 : 1;
    }
}
