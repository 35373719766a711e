package dev.switchboard.im.attack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.PresenceChanged;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.testing.ChatClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two logged-in users exchanging messages during an attack, on a thread of their own: each round one sends the other
 * a message and waits for its SendAck and its delivery. Records how many rounds ran, the slowest, and the first
 * failure (a missing or unexpected packet, such as RATE_LIMITED).
 */
final class Bystander implements AutoCloseable {

    /** Time between rounds: enough traffic to notice a stall, too little to meet any rate limit in these tests. */
    private static final Duration PACE = Duration.ofMillis(50);

    private final ChatClient alice;
    private final ChatClient bob;
    private final CountDownLatch stop = new CountDownLatch(1);
    private Thread thread;
    private volatile long windowStartNanos = Long.MAX_VALUE; // rounds begun from then on are measured
    private volatile int rounds; // written by the rounds' thread only
    private volatile long slowestNanos; // likewise
    private volatile Throwable failure;

    private Bystander(ChatClient alice, ChatClient bob) {
        this.alice = alice;
        this.bob = bob;
    }

    /**
     * Logs the two users in (v2), runs one round, so that the path is warm before anything is measured, and starts
     * the rounds (which also keep both connections from going idle under a short idle timeout).
     */
    static Bystander login(int port) throws Exception {
        ChatClient alice = ChatClient.login(port, 2, "bystander-alice");
        Bystander bystander;
        try {
            bystander = new Bystander(alice, ChatClient.login(port, 2, "bystander-bob"));
        } catch (Exception | Error e) {
            alice.close();
            throw e;
        }
        bystander.round(0);
        bystander.start();
        return bystander;
    }

    String aliceId() {
        return alice.userId();
    }

    /** From now on the rounds are counted and timed for {@link #assertServed}. */
    void measureFromNow() {
        windowStartNanos = System.nanoTime();
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // rounds and slowestNanos have one writer, the rounds' thread
    private void start() {
        thread = new Thread(() -> {
            try {
                for (int n = 1; !stop.await(PACE.toNanos(), TimeUnit.NANOSECONDS); n++) {
                    long began = System.nanoTime();
                    round(n);
                    if (began - windowStartNanos >= 0) {
                        slowestNanos = Math.max(slowestNanos, System.nanoTime() - began);
                        rounds++;
                    }
                }
            } catch (Throwable e) {
                failure = e;
            }
        }, "bystander");
        thread.start();
    }

    /**
     * Stops the rounds and asserts that the bystander was served throughout: no failure, at least one round, none
     * slower than {@code bound}; then runs one more round, after the attack.
     */
    void assertServed(Duration bound) throws Exception {
        stop.countDown();
        thread.join();
        System.out.printf("bystander: %d rounds, the slowest %d ms%n", rounds, slowestNanos / 1_000_000);
        assertThat(failure).as("the bystander's rounds").isNull();
        assertThat(rounds).as("bystander rounds during the attack").isPositive();
        assertThat(Duration.ofNanos(slowestNanos)).as("the bystander's slowest of %d rounds", rounds)
                .isLessThanOrEqualTo(bound);
        round(-1);
    }

    /** One message from one to the other, alternating: acknowledged to its sender, delivered, acknowledged. */
    private void round(int n) throws Exception {
        ChatClient from = n % 2 == 0 ? alice : bob;
        ChatClient to = from == alice ? bob : alice;
        from.send(new MessageRequest(to.userId(), "round " + n, "round-" + n, null));
        assertThat(from.next(SendAck.class).clientMsgId()).isEqualTo("round-" + n);
        // The two share a direct conversation, so each also hears of the other's presence: a notice, not a failure.
        List<Object> notices = new ArrayList<>();
        MessageResponse delivered = to.nextSkipping(MessageResponse.class, notices);
        assertThat(notices).allMatch(PresenceChanged.class::isInstance);
        assertThat(delivered.message()).isEqualTo("round " + n);
        to.ack(delivered.seq());
    }

    @Override
    public void close() {
        stop.countDown();
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        alice.close();
        bob.close();
    }
}
