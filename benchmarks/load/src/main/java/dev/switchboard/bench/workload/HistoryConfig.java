package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClientSettings;
import java.time.Duration;

/**
 * The history run.
 *
 * @param messages messages seeded into the one direct conversation that is read
 * @param pageSize messages per history page (the request's {@code limit}, 1 to 200)
 * @param pagesPerWalk pages a client reads backwards from a random starting point before it picks another
 * @param clients connections paging at once, logged in as the conversation's two users in turn
 * @param seedWindow messages each of the two seeding clients keeps awaiting their SendAck
 * @param messageSize characters per seeded message text
 * @param warmup paging before measuring
 * @param duration the measured paging
 * @param client wire settings
 * @param sendBaseline plain sends measured afterwards on the same server, or {@code null}
 */
public record HistoryConfig(int messages, int pageSize, int pagesPerWalk, int clients, int seedWindow,
        int messageSize, Duration warmup, Duration duration, BenchClientSettings client, SendBaseline sendBaseline) {

    public HistoryConfig {
        if (messages < 1) {
            throw new IllegalArgumentException("messages < 1: " + messages);
        }
        ReadChecks.pageSize(pageSize);
        if (pagesPerWalk < 1) {
            throw new IllegalArgumentException("pagesPerWalk < 1: " + pagesPerWalk);
        }
        ReadChecks.clients(clients);
        if (seedWindow < 1) {
            throw new IllegalArgumentException("seedWindow < 1: " + seedWindow);
        }
        if (messageSize < 1 || messageSize > 16_384) {
            throw new IllegalArgumentException("messageSize outside 1..16384: " + messageSize);
        }
        ReadChecks.phases(warmup, duration);
    }
}
