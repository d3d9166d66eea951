package dev.streamlearn.training;

import java.util.HashMap;
import java.util.Map;

/**
 * The earliest wake-up (processing-time timer) each model has pending. A trainer needs waking
 * for its open batch's deadline, its next store and a deferred metrics refresh. Registering a timer
 * for each of these on every batch cost a write to the timer queue (RocksDB), a delete and a
 * wake-up of the timer thread every 100 examples. Instead a timer is registered only when none is
 * pending at or before the time needed; a timer that fires wakes the model, which asks again for
 * whatever is still to come. A timer that fires for nothing due is harmless, so after a restore
 * (nothing pending is known) the worst case is one extra wake-up.
 */
final class Wakeups {

    private final Map<String, Long> earliest = new HashMap<>();

    /** Whether {@code modelId} needs a timer registered to wake at {@code millis}; if so, counts it as pending. */
    boolean register(String modelId, long millis) {
        Long pending = earliest.get(modelId);
        if (pending != null && pending <= millis) {
            return false;
        }
        earliest.put(modelId, millis);
        return true;
    }

    /** A timer of {@code modelId} fired at {@code millis}: what was pending until then is no longer. */
    void fired(String modelId, long millis) {
        Long pending = earliest.get(modelId);
        if (pending != null && pending <= millis) {
            earliest.remove(modelId);
        }
    }
}
