package dev.streamlearn.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The requests a gateway has sent and waits for, by id, at most {@code capacity} at once: a
 * caller beyond that is told the gateway is overloaded instead of joining a queue that only
 * grows. Each expected id is completed by its prediction or forgotten at its caller's timeout.
 */
final class PendingPredictions {

    private final ConcurrentHashMap<String, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final Semaphore slots;

    PendingPredictions(int capacity) {
        this.slots = new Semaphore(capacity);
    }

    /** Takes room for {@code rows} requests; false when there is not that much. */
    boolean reserve(int rows) {
        return slots.tryAcquire(rows);
    }

    void release(int rows) {
        slots.release(rows);
    }

    CompletableFuture<JsonNode> expect(String id) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        waiting.put(id, f);
        return f;
    }

    /** Completes the request's future, if it is still awaited; true when it was. */
    boolean complete(String id, JsonNode prediction) {
        CompletableFuture<JsonNode> f = waiting.remove(id);
        return f != null && f.complete(prediction);
    }

    void forget(String id) {
        waiting.remove(id);
    }

    int size() {
        return waiting.size();
    }
}
