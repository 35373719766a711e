package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClientSettings;

/**
 * What direct and group runs share.
 *
 * @param window most messages per sender awaiting their SendAck
 * @param rate total messages per second over all senders; 0 for as fast as the windows allow
 * @param messageSize characters per message text (at least the stamp)
 * @param loginConcurrency most logins in flight while setting up
 * @param plan warm-up, measurement and drain
 * @param client wire settings of every client
 */
public record MessagingConfig(
        int window, double rate, int messageSize, int loginConcurrency, RunPlan plan, BenchClientSettings client) {

    public MessagingConfig {
        if (window < 1) {
            throw new IllegalArgumentException("window < 1: " + window);
        }
        if (rate < 0) {
            throw new IllegalArgumentException("rate < 0: " + rate);
        }
        if (messageSize < 0 || messageSize > 512 * 1024) {
            throw new IllegalArgumentException("messageSize outside 0..524288: " + messageSize);
        }
        if (loginConcurrency < 1) {
            throw new IllegalArgumentException("loginConcurrency < 1: " + loginConcurrency);
        }
    }
}
