package dev.switchboard.bench.workload;

import dev.switchboard.bench.report.BenchResult;
import dev.switchboard.bench.report.ResultLine;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a history or conversations run: the seeding (not measured), the measured request loops and, if
 * asked for, plain direct sends measured on the same server afterwards, which the read rate is divided by.
 *
 * @param workload "history" or "conversations"
 * @param clients connections sending requests, one in flight each
 * @param pageSize the {@code limit} of every request
 * @param requestUnit the headline's unit: "pages/s" or "lists/s"
 * @param itemName what the answers carry: "messages" or "conversations"
 * @param seed how the data was put in
 * @param conversations conversations seeded (history: 1)
 * @param listed conversations: how many a walk through the whole list found before measuring (must be
 *     {@code conversations}); history: -1, not checked
 * @param measured the measured phase
 * @param sendBaseline plain direct sends on the same server in the same run, or {@code null}
 */
public record ReadResult(String workload, int clients, int pageSize, String requestUnit, String itemName,
        SeedResult seed, int conversations, long listed, RequestPhaseResult measured, MessagingResult sendBaseline)
        implements BenchResult {

    @Override
    public double headline() {
        return measured.requestsPerSecond();
    }

    @Override
    public String headlineUnit() {
        return requestUnit;
    }

    /** Requests per second over plain direct msgs/s on the same server; 0 without a baseline. */
    public double ratioToSends() {
        return sendBaseline == null || sendBaseline.headline() == 0 ? 0 : headline() / sendBaseline.headline();
    }

    @Override
    public List<ResultLine> lines() {
        List<ResultLine> lines = new ArrayList<>();
        lines.add(new ResultLine("seeded (not measured)", String.format("%,d %s in %.1f s (%,.0f msgs/s)",
                seed.count(), seed.what(), seed.seconds(), seed.perSecond())));
        if (listed >= 0) {
            lines.add(ResultLine.of("conversations listed", listed));
        }
        lines.add(new ResultLine("clients", clients + " connections, 1 request in flight each, limit " + pageSize));
        lines.add(new ResultLine(workload, String.format("%,.1f %s (%,.0f %s/s; %,d answered, %,d failed)",
                measured.requestsPerSecond(), requestUnit, measured.itemsPerSecond(), itemName, measured.requests(),
                measured.failures())));
        lines.add(new ResultLine("latency", measured.latency().describeMillis()));
        lines.add(ResultLine.of("empty or short answers", measured.emptyAnswers()));
        if (sendBaseline != null) {
            lines.add(new ResultLine("plain direct sends, same server", String.format("%,.1f msgs/s (%d pairs,"
                    + " window %d)  %s", sendBaseline.headline(), sendBaseline.senders(), sendBaseline.window(),
                    sendBaseline.latency().describeMillis())));
            lines.add(new ResultLine(requestUnit + " / direct msgs/s", String.format("%.3f (%s/s read / sent: %.3f)",
                    ratioToSends(), itemName, measured.itemsPerSecond() / sendBaseline.headline())));
        }
        return lines;
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (seed.refused() > 0) {
            problems.add(seed.refused() + " seed messages refused");
        }
        if (measured.requests() == 0) {
            problems.add("no request answered");
        }
        if (measured.failures() > 0) {
            problems.add(measured.failures() + " requests failed; first: " + measured.firstFailure());
        }
        if (measured.emptyAnswers() > 0) {
            problems.add(measured.emptyAnswers() + " answers empty or short: the server holds less than was seeded"
                    + " (the memory store keeps the newest 1,000 messages per conversation)");
        }
        if (listed >= 0 && listed != conversations) {
            problems.add("the conversation list has " + listed + " entries, " + conversations + " were seeded");
        }
        if (sendBaseline != null) {
            for (String problem : sendBaseline.problems()) {
                problems.add("plain direct sends: " + problem);
            }
        }
        return problems;
    }
}
