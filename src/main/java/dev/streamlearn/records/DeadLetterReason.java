package dev.streamlearn.records;

import java.util.Locale;

/** Why a record went to the dead-letter topic; the code is what the record and the metric carry. */
public enum DeadLetterReason {
    TOO_LARGE,
    NOT_JSON,
    /** The record's bytes are not valid UTF-8. */
    NOT_UTF8,
    MISSING_FIELD,
    UNKNOWN_MODEL,
    BAD_LABEL,
    NOT_NUMERIC,
    NOT_FINITE,
    /** A finite number beyond what any measurement can be, or a weight beyond its limit. */
    OUT_OF_RANGE,
    BAD_FIELD,
    UNKNOWN_OP,
    /** A time-series point older than the newest of its series by more than the allowed lateness. */
    LATE,
    /** A labeled example whose update would have made a weight or optimizer value non-finite: not learnt. */
    POISONED_UPDATE,
    /** A request the served model scored as NaN or infinite: not answered with a number that is not one. */
    NON_FINITE_SCORE,
    /** An outcome whose impression's attribution window had closed (the impression was learnt as a negative). */
    OUTCOME_LATE,
    /** An outcome for no impression the job knows: never logged, or closed so long ago it is forgotten. */
    OUTCOME_UNKNOWN,
    /** An impression whose id is already waiting for an outcome, or was closed within the last window. */
    DUPLICATE_IMPRESSION;

    /** Kebab-case code as written to the dead-letter topic, e.g. {@code bad-label}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
