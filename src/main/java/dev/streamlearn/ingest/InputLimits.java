package dev.streamlearn.ingest;

/**
 * The largest numbers an event may carry. A finite number can still break learning: squared,
 * 1e300 overflows. Numeric features are standardized and clipped by the model's scaling, so any
 * value below these limits moves a weight no more than an ordinary one; above them a record is
 * dead-lettered ({@code out-of-range}).
 */
public final class InputLimits {

    /**
     * Beyond any count, price or timestamp in any unit (nanoseconds since 1970 are 1.7e18), and
     * small enough that the scaling statistics never overflow (squares stay below 1e61).
     */
    public static final double MAX_ABS_VALUE = 1e30;

    /** Example weights above this would let one record outweigh thousands. */
    public static final double MAX_WEIGHT = 1000.0;

    private InputLimits() {}
}
