package dev.streamlearn.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The model page's sampling: every second while the page is open, far apart while nobody looks. */
class ModelPageTest {

    private static final long NEVER = Long.MIN_VALUE;

    @Test
    void samplesEverySecondWhileWatchedAndEveryTenSecondsOtherwise() {
        assertTrue(ModelPage.sampleDue(5_000, NEVER, 0), "the first sample is taken at once");
        long unwatched = 0;
        assertFalse(ModelPage.sampleDue(6_000, 5_000, unwatched));
        assertFalse(ModelPage.sampleDue(14_999, 5_000, unwatched));
        assertTrue(ModelPage.sampleDue(15_000, 5_000, unwatched));

        long watchedUntil = 6_000 + ModelPage.WATCHED_FOR_MILLIS; // data asked for at 6 s
        assertTrue(ModelPage.sampleDue(7_000, 6_000, watchedUntil));
        assertTrue(ModelPage.sampleDue(15_999, 15_000, watchedUntil));
        assertFalse(ModelPage.sampleDue(17_000, 16_000, watchedUntil), "nobody asked for ten seconds");
        assertTrue(ModelPage.sampleDue(26_000, 16_000, watchedUntil));
    }
}
