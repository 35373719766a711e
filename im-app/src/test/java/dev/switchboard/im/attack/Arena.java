package dev.switchboard.im.attack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.TestAccess;
import dev.switchboard.im.attack.CostMeter.Cost;
import dev.switchboard.im.attack.CostMeter.Snapshot;
import dev.switchboard.im.server.ImServer;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where an attack test runs: a real server on 127.0.0.1 and a free port, a {@link Bystander} exchanging messages
 * throughout, a {@link LogCapture} and a {@link CostMeter}. A test starts the arena, calls {@link #beginAttack()},
 * attacks, reads {@link #cost()} while the attack's connections are still open, and checks the bystander and the
 * log:
 *
 * <pre>{@code
 * try (Arena arena = Arena.start(ImServerSettings.forTests())) {
 *     arena.beginAttack();
 *     ... attack arena.port() ...
 *     Cost cost = arena.cost();
 *     arena.assertBystanderServed();
 *     arena.log().assertAtMostOnePerConnection(attackers);
 * }
 * }</pre>
 */
final class Arena implements AutoCloseable {

    /** The figure: a bystander round (send, SendAck, delivery) never takes longer during an attack. */
    static final Duration BYSTANDER_MAX_ROUND_TRIP = Duration.ofSeconds(2);
    /**
     * Memory an attack may leave behind whatever its size: GC leftovers and Netty's allocator keeping a chunk or two
     * it grew for the attack's bursts; what scales with the attack is bounded per test on top of this.
     */
    static final long RETAINED_SLACK = 8L << 20;
    /**
     * Threads an attack may start beyond the business pool's lazily started ones: housekeeping such as Netty's
     * global executor. A thread per connection would add one per attacker, 10 to 50 in most of these tests.
     */
    static final int THREAD_SLACK = 3;

    private final ImServer server;
    private final Bystander bystander;
    private final CostMeter meter;
    private LogCapture log;
    private Snapshot baseline;

    private Arena(ImServer server, Bystander bystander, CostMeter meter) {
        this.server = server;
        this.bystander = bystander;
        this.meter = meter;
    }

    /** Starts the server and logs the bystander in. */
    static Arena start(ImServerSettings settings) throws Exception {
        ImServer server = ImServer.start(settings, Clock.systemUTC(), false);
        try {
            Bystander bystander = Bystander.login(server.port());
            String loopPrefix = eventLoopPrefix(server, bystander.aliceId());
            CostMeter meter = new CostMeter(name -> name.startsWith(loopPrefix)
                    || name.startsWith("server-business-") || name.startsWith("sqlite-store-writer"));
            return new Arena(server, bystander, meter);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /**
     * The name prefix of the server's I/O threads ("multiThreadIoEventLoopGroup-7-"; the clients' loops have other
     * pool numbers), read on the event loop of the bystander's connection.
     */
    private static String eventLoopPrefix(ImServer server, String userId) throws Exception {
        DeviceSession device = TestAccess.instance(server.server(), SessionRegistry.class).devices(userId).get(0);
        CompletableFuture<String> name = new CompletableFuture<>();
        device.connection().execute(() -> name.complete(Thread.currentThread().getName()));
        String thread = name.get(10, TimeUnit.SECONDS);
        return thread.substring(0, thread.lastIndexOf('-') + 1);
    }

    int port() {
        return server.port();
    }

    ImServer server() {
        return server;
    }

    /** One of the server's singletons, to look at its state. */
    <T> T instance(Class<T> type) {
        return TestAccess.instance(server.server(), type);
    }

    /** Times the bystander's rounds from now, takes the cost baseline and starts capturing the log. */
    void beginAttack() {
        bystander.measureFromNow();
        baseline = meter.snapshot();
        log = new LogCapture();
    }

    /** The cost since {@link #beginAttack()} (with a full GC first); also printed to the test's output. */
    Cost cost() {
        Cost cost = CostMeter.between(baseline, meter.snapshot());
        System.out.println("attack cost: " + cost);
        return cost;
    }

    /** The log since {@link #beginAttack()}. */
    LogCapture log() {
        return log;
    }

    /** The bystander was served throughout, each round within {@link #BYSTANDER_MAX_ROUND_TRIP}. */
    void assertBystanderServed() throws Exception {
        bystander.assertServed(BYSTANDER_MAX_ROUND_TRIP);
    }

    /** No thread per connection: at most the business pool and {@link #THREAD_SLACK} more. */
    void assertThreadsBounded(Cost cost) {
        assertThat(cost.extraThreads()).as("threads started by the attack (%s)", cost)
                .isLessThanOrEqualTo(server.settings().hashThreads() + THREAD_SLACK);
    }

    /**
     * Memory left after the attack (or during it, with its connections open): the heap after GC grew by at most
     * {@link #RETAINED_SLACK} plus {@code perConnection} for each connection; Netty's direct memory, which keeps the
     * chunks it grew for the buffers that were in flight, by at most the slack plus twice {@code inFlight} (a
     * cumulation buffer doubles as a frame arrives).
     */
    static void assertRetainedBounded(Cost cost, int connections, long perConnection, long inFlight) {
        assertThat(cost.heapBytes()).as("heap retained (%s)", cost)
                .isLessThanOrEqualTo(RETAINED_SLACK + connections * perConnection);
        assertThat(cost.directBytes()).as("direct memory retained (%s)", cost)
                .isLessThanOrEqualTo(RETAINED_SLACK + 2 * inFlight);
    }

    @Override
    public void close() {
        try {
            if (log != null) {
                log.close();
            }
            bystander.close();
        } finally {
            server.close();
        }
    }
}
