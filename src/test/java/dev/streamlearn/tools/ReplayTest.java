package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What a replay that stopped says about the rest: the exact command that sends it. */
class ReplayTest {

    private static Replay parsed(String... args) {
        Replay replay = new Replay();
        new CommandLine(replay).parseArgs(args);
        return replay;
    }

    @Test
    void theCommandThatSendsTheRestStartsAtTheFirstItemKafkaDidNotTake() {
        String[] args = {
            "--bootstrap", "h:9092", "--file", "my data.csv", "--label", "y", "--skip", "100", "--rate", "50"
        };
        Replay replay = parsed(args);
        assertEquals(
                "scripts/replay --bootstrap h:9092 --file 'my data.csv' --label y --rate 50 --skip 1334",
                replay.resumeCommand(List.of(args), 1234));
        String[] limited = {"--file", "d.csv", "--label", "y", "--limit=5000"};
        assertEquals(
                "scripts/replay --file d.csv --label y --skip 1234 --limit 3766",
                parsed(limited).resumeCommand(List.of(limited), 1234));
    }

    @Test
    void theRestBeginsAtTheFirstItemWithARecordNotAcknowledged() {
        AtomicIntegerArray unacknowledged = new AtomicIntegerArray(6);
        assertEquals(4, KafkaSender.firstIncomplete(unacknowledged, 4), "all acknowledged: the rest was never sent");
        unacknowledged.set(2, 1);
        unacknowledged.set(5, 2);
        assertEquals(2, KafkaSender.firstIncomplete(unacknowledged, 6));
    }
}
