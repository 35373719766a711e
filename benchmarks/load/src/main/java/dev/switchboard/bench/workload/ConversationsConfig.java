package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClientSettings;
import java.time.Duration;

/**
 * The conversations run.
 *
 * @param conversations direct conversations of the user whose list is read: one peer each
 * @param messagesPerConversation messages each peer sends that user while seeding
 * @param pageSize conversations per list request (the request's {@code limit}, 1 to 200)
 * @param clients connections listing at once, all logged in as that user
 * @param loginConcurrency peers logging in and sending at once while seeding
 * @param warmup listing before measuring
 * @param duration the measured listing
 * @param client wire settings
 * @param sendBaseline plain sends measured afterwards on the same server, or {@code null}
 */
public record ConversationsConfig(int conversations, int messagesPerConversation, int pageSize, int clients,
        int loginConcurrency, Duration warmup, Duration duration, BenchClientSettings client,
        SendBaseline sendBaseline) {

    public ConversationsConfig {
        if (conversations < 1) {
            throw new IllegalArgumentException("conversations < 1: " + conversations);
        }
        if (messagesPerConversation < 1) {
            throw new IllegalArgumentException("messagesPerConversation < 1: " + messagesPerConversation);
        }
        ReadChecks.pageSize(pageSize);
        ReadChecks.clients(clients);
        if (loginConcurrency < 1) {
            throw new IllegalArgumentException("loginConcurrency < 1: " + loginConcurrency);
        }
        ReadChecks.phases(warmup, duration);
    }
}
