package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.ConnectionAttribute;
import dev.switchboard.framework.SharedFrame;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connection object of one channel on an {@code EmbeddedChannel}, with its fake time. */
class ChannelConnectionTest {

    private static final ConnectionAttribute<String> USER = ConnectionAttribute.named("test.user");

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ChannelConnection connection = ChannelConnection.attach(channel, null, 1, 1);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void attributesAreTypedPerKeyAndNullRemoves() {
        ConnectionAttribute<String> sameName = ConnectionAttribute.named("test.user");
        assertThat(connection.attr(USER)).isNull();
        connection.attr(USER, "ann");
        assertThat(connection.attr(USER)).isEqualTo("ann");
        assertThat(connection.attr(sameName)).as("keys compare by identity, not by name").isNull();
        connection.attr(USER, null);
        assertThat(connection.attr(USER)).isNull();
        assertThat(ChannelConnection.of(channel).attr(USER)).isNull();
    }

    @Test
    void executeAndScheduleRunOnTheConnectionsLoop() {
        List<String> ran = new ArrayList<>();
        connection.execute(() -> ran.add("now"));
        ScheduledFuture<?> later = connection.schedule(Duration.ofSeconds(5), () -> ran.add("later"));
        ScheduledFuture<?> cancelled = connection.schedule(Duration.ofSeconds(5), () -> ran.add("cancelled"));
        channel.runPendingTasks();
        assertThat(ran).containsExactly("now");

        cancelled.cancel(false);
        channel.advanceTimeBy(4, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(ran).containsExactly("now");
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(ran).containsExactly("now", "later");
        assertThat(later.isDone()).isTrue();
    }

    @Test
    void onlyFramesItEncodedCanBePosted() {
        SharedFrame foreign = () -> { };
        assertThatThrownBy(() -> connection.post(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a frame encoded by Connection.encode");
    }
}
