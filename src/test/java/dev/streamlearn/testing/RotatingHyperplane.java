package dev.streamlearn.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The rotating hyperplane of the concept-drift literature (Hulten, Spencer and Domingos, 2001):
 * two features uniform on [0, 1], the label on which side of a line through the centre a point
 * falls (5 % of labels flipped); from event {@code onset} on, the line turns a full circle every
 * {@code turn} events, so what was learnt keeps going stale.
 */
public final class RotatingHyperplane {

    private RotatingHyperplane() {}

    /** {@code n} labeled events of model {@code model}, as JSON. */
    public static List<String> events(String model, int n, int onset, int turn, long seed) {
        Random random = new Random(seed);
        List<String> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double angle = i < onset ? 0 : 2 * Math.PI * (i - onset) / turn;
            double x1 = random.nextDouble();
            double x2 = random.nextDouble();
            boolean label = Math.cos(angle) * (x1 - 0.5) + Math.sin(angle) * (x2 - 0.5) > 0;
            if (random.nextDouble() < 0.05) {
                label = !label;
            }
            events.add(String.format(
                    Locale.ROOT,
                    "{\"id\":\"%s-%d\",\"model\":\"%s\",\"label\":%d,\"features\":{\"x1\":%.5f,\"x2\":%.5f}}",
                    model,
                    i,
                    model,
                    label ? 1 : 0,
                    x1,
                    x2));
        }
        return events;
    }
}
