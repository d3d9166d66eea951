package dev.streamlearn.testing;

import dev.streamlearn.records.Example;
import java.util.Random;

/**
 * Examples of model {@code m} whose meaning flips: coordinate 1 has label 1 and coordinate 2
 * label 0, nine times in ten, the other way round from example {@code flipAt} on. A learner that
 * forgets fast follows within a few hundred examples; one that never forgets takes far longer.
 */
public final class FlippingExamples {

    private final int flipAt;
    private final Random random = new Random(7);
    private int i;

    public FlippingExamples(int flipAt) {
        this.flipAt = flipAt;
    }

    public Example next() {
        boolean first = random.nextBoolean();
        boolean usual = random.nextDouble() < 0.9;
        boolean label = first == usual;
        if (i++ >= flipAt) {
            label = !label;
        }
        return Examples.at(Examples.categorical(label ? 1 : 0, first ? 1 : 2), i, 0, i);
    }

    /** How many examples were made. */
    public int made() {
        return i;
    }
}
