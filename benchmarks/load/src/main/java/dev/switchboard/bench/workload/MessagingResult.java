package dev.switchboard.bench.workload;

import dev.switchboard.bench.measure.LatencySummary;
import dev.switchboard.bench.report.BenchResult;
import dev.switchboard.bench.report.ResultLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a direct or group run.
 *
 * @param workload "direct" or "group"
 * @param clients connections used
 * @param senders clients that sent
 * @param fanout receivers per message
 * @param window most messages per sender awaiting their SendAck
 * @param rateLimit total messages per second asked for; 0 for as fast as possible
 * @param messageSize characters per message text
 * @param measuredSeconds length of the measured phase
 * @param messagesPerSecond acknowledged messages per second in the measured phase
 * @param deliveriesPerSecond deliveries per second in the measured phase
 * @param latency stamp to delivery (group: to the last member), of messages stamped in the measured phase
 * @param counts every message and delivery of the run
 */
public record MessagingResult(String workload, int clients, int senders, int fanout, int window, double rateLimit,
        int messageSize, double measuredSeconds, double messagesPerSecond, double deliveriesPerSecond,
        LatencySummary latency, DeliveryCounts counts) implements BenchResult {

    @Override
    public double headline() {
        return fanout == 1 ? messagesPerSecond : deliveriesPerSecond;
    }

    @Override
    public String headlineUnit() {
        return fanout == 1 ? "msgs/s" : "deliveries/s";
    }

    @Override
    public Optional<LatencySummary> headlineLatency() {
        return Optional.of(latency);
    }

    @Override
    public List<ResultLine> lines() {
        List<ResultLine> lines = new ArrayList<>();
        lines.add(new ResultLine("setup", String.format("%d clients, %d senders, fan-out %d, window %d, rate %s",
                clients, senders, fanout, window, rateLimit > 0 ? String.format("%.0f/s", rateLimit) : "max")));
        lines.add(ResultLine.of("messages/s", messagesPerSecond, "msgs/s"));
        lines.add(ResultLine.of("deliveries/s", deliveriesPerSecond, "deliveries/s"));
        lines.add(new ResultLine(fanout == 1 ? "latency" : "latency (to last member)", latency.describeMillis()));
        lines.add(ResultLine.of("sent", counts.sent()));
        lines.add(ResultLine.of("acked", counts.acked()));
        lines.add(ResultLine.of("refused (Error)", counts.refused()));
        lines.add(ResultLine.of("unanswered", counts.unanswered()));
        lines.add(ResultLine.of("deliveries", counts.deliveries()));
        lines.add(ResultLine.of("expected deliveries", counts.expectedDeliveries()));
        lines.add(ResultLine.of("lost", counts.lost()));
        lines.add(ResultLine.of("duplicated", counts.duplicates()));
        lines.add(ResultLine.of("out of order", counts.outOfOrder()));
        lines.add(ResultLine.of("seq violations", counts.seqViolations()));
        lines.add(ResultLine.of("other errors", counts.otherErrors() + counts.foreign()));
        lines.add(ResultLine.of("closed by server", counts.closedByPeer()));
        return lines;
    }

    @Override
    public List<String> problems() {
        return counts.problems();
    }
}
