package dev.switchboard.bench.kill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.report.ResultLine;
import java.util.List;
import org.junit.jupiter.api.Test;

class KillRunResultTest {

    private static final Traffic CLEAN_TRAFFIC = new Traffic(100, 100, 0, 10, 0, null, 8, 0, 0, 30, 0, 0, 0);
    private static final LedgerTally CLEAN = new LedgerTally(100, 0, 0, 0, 0, 0, 0, 3, 0, null, null, null);
    private static final List<Kill> TWO_KILLS = List.of(new Kill(1, "child (sqlite)", 1.0, 0, 4, 40, 2500, 2600),
            new Kill(2, "child (sqlite)", 4.5, 300, 4, 60, 2600, 2900));

    private static KillRunResult result(int killsAsked, List<Kill> kills, Traffic traffic, LedgerTally deliveries) {
        return new KillRunResult("direct-kill", 4, 2, 1, 16, 1.0, killsAsked, kills, 7.0, 14.3, 0.5, true, traffic,
                deliveries);
    }

    @Test
    void passesWithRedeliveriesDroppedAndNothingElse() {
        KillRunResult result = result(2, TWO_KILLS, CLEAN_TRAFFIC, CLEAN);
        assertThat(result.problems()).isEmpty();
        assertThat(result.lines()).extracting(ResultLine::label)
                .contains("kills", "acknowledged", "lost", "reordered", "duplicated", "seq violations",
                        "redeliveries dropped", "reconnects");
    }

    @Test
    void failsOnEachKindOfDeliveryProblem() {
        LedgerTally bad = new LedgerTally(100, 1, 2, 3, 4, 5, 6, 0, 7, "bob: seq 4 carried message 0#2 after"
                + " message 0#3", null, null);
        assertThat(result(2, TWO_KILLS, CLEAN_TRAFFIC, bad).problems()).containsExactly(
                "1 acknowledged deliveries lost",
                "2 deliveries out of their sender's order",
                "3 messages delivered again under another seq",
                "15 deliveries broke the per-recipient seq (gaps 4, conflicts 5, out of range 6)",
                "7 deliveries to a recipient the message was not for");
        assertThat(result(2, TWO_KILLS, CLEAN_TRAFFIC, bad).lines())
                .contains(new ResultLine("first reorder", "bob: seq 4 carried message 0#2 after message 0#3"));
    }

    @Test
    void failsWithoutTheKillsAskedForOrWithMessagesNeverAcknowledged() {
        assertThat(result(0, List.of(), CLEAN_TRAFFIC, CLEAN).problems())
                .containsExactly("the server was never killed: the load ran shorter than --kill-every");
        assertThat(result(5, TWO_KILLS, CLEAN_TRAFFIC, CLEAN).problems())
                .containsExactly("only 2 of 5 kills within the duration");
        Traffic stuck = new Traffic(100, 97, 3, 10, 1, "INTERNAL server busy, try again", 8, 0, 0, 30, 0, 0, 0);
        assertThat(result(2, TWO_KILLS, stuck, CLEAN).problems()).containsExactly(
                "3 messages still without SendAck after the drain",
                "1 messages refused by the server; first: INTERNAL server busy, try again");
    }
}
