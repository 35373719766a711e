package dev.switchboard.bench.kill;

import dev.switchboard.bench.report.BenchResult;
import dev.switchboard.bench.report.ResultLine;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a kill run. It passes with no lost, reordered, duplicated or misdelivered message, no seq
 * violation, no refusal, every message acknowledged by the end, and the kills asked for.
 *
 * @param workload "direct-kill" or "group-kill"
 * @param clients accounts, one connection each at a time
 * @param senders accounts that sent
 * @param fanout recipients per message
 * @param window most messages per sender without a SendAck
 * @param killEverySeconds how long each server ran after every client was back on it, before it was killed
 * @param killsAsked the {@code --kills} asked for; 0 for as many as the duration allowed
 * @param kills each kill, in order
 * @param loadSeconds how long the senders sent, kills and restarts included
 * @param ackedPerSecond acknowledged messages per second of load, downtime included
 * @param drainSeconds from the end of the load until everything was acknowledged and delivered, or the timeout
 * @param settled whether the drain ended because everything was, rather than by its timeout
 * @param traffic what the clients sent and heard besides deliveries
 * @param deliveries the recipients' ledgers, added up
 */
public record KillRunResult(String workload, int clients, int senders, int fanout, int window,
        double killEverySeconds, int killsAsked, List<Kill> kills, double loadSeconds, double ackedPerSecond,
        double drainSeconds, boolean settled, Traffic traffic, LedgerTally deliveries) implements BenchResult {

    public KillRunResult {
        kills = List.copyOf(kills);
    }

    @Override
    public double headline() {
        return ackedPerSecond;
    }

    @Override
    public String headlineUnit() {
        return "msgs/s";
    }

    @Override
    public List<ResultLine> lines() {
        List<ResultLine> lines = new ArrayList<>();
        lines.add(new ResultLine("setup", String.format("%d clients, %d senders, fan-out %d, window %d",
                clients, senders, fanout, window)));
        lines.add(new ResultLine("kills", String.format("%d (SIGKILL %.1f s after all clients were back)",
                kills.size(), killEverySeconds)));
        if (!kills.isEmpty()) {
            lines.add(new ResultLine("servers killed", String.join(", ", kills.stream().map(Kill::server)
                    .distinct().toList()) + String.format(" (%d kills)", kills.size())));
            lines.add(new ResultLine("all back after kill", backAfterKill()));
            lines.add(new ResultLine("clients back after", String.format("mean %.2f s, max %.2f s",
                    kills.stream().mapToLong(Kill::resumeMillis).average().orElse(0) / 1000,
                    kills.stream().mapToLong(Kill::resumeMillis).max().orElse(0) / 1000.0)));
            lines.add(new ResultLine("clients online at kill", String.format("min %d of %d",
                    kills.stream().mapToInt(Kill::onlineAtKill).min().orElse(0), clients)));
            lines.add(new ResultLine("restart to ready", String.format("mean %.2f s, max %.2f s",
                    kills.stream().mapToLong(Kill::restartMillis).average().orElse(0) / 1000,
                    kills.stream().mapToLong(Kill::restartMillis).max().orElse(0) / 1000.0)));
            lines.add(new ResultLine("acked between kills", String.format("min %,d, mean %,.0f",
                    kills.stream().mapToLong(Kill::ackedBefore).min().orElse(0),
                    kills.stream().mapToLong(Kill::ackedBefore).average().orElse(0))));
        }
        lines.add(ResultLine.of("acknowledged/s", ackedPerSecond, "msgs/s"));
        lines.add(ResultLine.of("sent", traffic.sent()));
        lines.add(ResultLine.of("acknowledged", traffic.acknowledged()));
        lines.add(ResultLine.of("unacknowledged at end", traffic.unacknowledged()));
        lines.add(ResultLine.of("resent after reconnect", traffic.resent()));
        lines.add(ResultLine.of("refused (Error)", traffic.refused()));
        lines.add(ResultLine.of("delivered", deliveries.delivered()));
        lines.add(ResultLine.of("expected deliveries", traffic.acknowledged() * fanout));
        lines.add(ResultLine.of("lost", deliveries.lost()));
        lines.add(ResultLine.of("reordered", deliveries.reordered()));
        lines.add(ResultLine.of("duplicated", deliveries.duplicated()));
        lines.add(new ResultLine("seq violations", String.format("%,d (gaps %,d, conflicts %,d, out of range %,d)",
                deliveries.seqViolations(), deliveries.seqGaps(), deliveries.seqConflicts(),
                deliveries.seqOutOfRange())));
        lines.add(ResultLine.of("redeliveries dropped", deliveries.redeliveries()));
        lines.add(ResultLine.of("misdelivered", deliveries.misdelivered()));
        if (deliveries.firstReorder() != null) {
            lines.add(new ResultLine("first reorder", deliveries.firstReorder()));
        }
        if (deliveries.firstDuplicate() != null) {
            lines.add(new ResultLine("first duplicate", deliveries.firstDuplicate()));
        }
        if (deliveries.firstSeqViolation() != null) {
            lines.add(new ResultLine("first seq violation", deliveries.firstSeqViolation()));
        }
        lines.add(ResultLine.of("reconnects", traffic.reconnects()));
        lines.add(ResultLine.of("failovers (another server)", traffic.failovers()));
        lines.add(ResultLine.of("token fallbacks", traffic.tokenFallbacks()));
        lines.add(ResultLine.of("connects refused (down)", traffic.connectFailures()));
        lines.add(ResultLine.of("login failures", traffic.loginFailures()));
        lines.add(ResultLine.of("other errors", traffic.otherErrors() + traffic.unmatchedAcks()));
        lines.add(new ResultLine("drain", String.format("%.1f s, %s", drainSeconds,
                settled ? "caught up" : "timed out")));
        return lines;
    }

    /** From each kill until every client was logged in again: mean and max over the kills where they all were. */
    private String backAfterKill() {
        List<Long> back = kills.stream().map(Kill::backMillis).filter(millis -> millis >= 0).toList();
        String times = back.isEmpty() ? "-" : String.format("mean %.2f s, max %.2f s",
                back.stream().mapToLong(Long::longValue).average().orElse(0) / 1000,
                back.stream().mapToLong(Long::longValue).max().orElse(0) / 1000.0);
        return back.size() == kills.size() ? times : times + String.format(" (%d kills not all back in time)",
                kills.size() - back.size());
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (deliveries.lost() > 0) {
            problems.add(deliveries.lost() + " acknowledged deliveries lost");
        }
        if (deliveries.reordered() > 0) {
            problems.add(deliveries.reordered() + " deliveries out of their sender's order");
        }
        if (deliveries.duplicated() > 0) {
            problems.add(deliveries.duplicated() + " messages delivered again under another seq");
        }
        if (deliveries.seqViolations() > 0) {
            problems.add(deliveries.seqViolations() + " deliveries broke the per-recipient seq (gaps "
                    + deliveries.seqGaps() + ", conflicts " + deliveries.seqConflicts() + ", out of range "
                    + deliveries.seqOutOfRange() + ")");
        }
        if (deliveries.misdelivered() > 0) {
            problems.add(deliveries.misdelivered() + " deliveries to a recipient the message was not for");
        }
        if (deliveries.delivered() == 0) {
            problems.add("nothing was delivered");
        }
        if (kills.isEmpty()) {
            problems.add("the server was never killed: the load ran shorter than --kill-every");
        } else if (killsAsked > 0 && kills.size() < killsAsked) {
            problems.add("only " + kills.size() + " of " + killsAsked + " kills within the duration");
        }
        if (traffic.unacknowledged() > 0) {
            problems.add(traffic.unacknowledged() + " messages still without SendAck after the drain");
        }
        if (traffic.refused() > 0) {
            problems.add(traffic.refused() + " messages refused by the server; first: " + traffic.firstRefusal());
        }
        return problems;
    }
}
