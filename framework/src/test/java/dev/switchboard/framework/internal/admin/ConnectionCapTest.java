package dev.switchboard.framework.internal.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.AdminResponse;
import dev.switchboard.framework.testing.ManualExecutor;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin port's connection cap with three places, on embedded connections sharing one cap: a connection past it
 * closes the oldest that has no request with the admin thread, whatever that one is doing otherwise, and is closed
 * itself only when all three have.
 */
class ConnectionCapTest {

    private final ManualExecutor endpoints = new ManualExecutor();
    private final ConnectionCap cap = new ConnectionCap(3);
    private final List<EmbeddedChannel> connections = new ArrayList<>();

    @AfterEach
    void release() {
        connections.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel connect() {
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInitializer<EmbeddedChannel>() {
            @Override
            protected void initChannel(EmbeddedChannel ch) {
                AdminListener.addHandlers(ch.pipeline(), cap, new AdminRoutes(Map.of("GET /stats",
                        AdminRoutes.Route.guarded(request -> AdminResponse.text("ok")))), null, endpoints, false);
            }
        });
        connections.add(channel);
        return channel;
    }

    private static void send(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
        channel.runPendingTasks();
    }

    @Test
    void aConnectionPastTheCapClosesTheOldestThatIsNotBeingAnswered() {
        EmbeddedChannel idle = connect();
        EmbeddedChannel trickling = connect();
        EmbeddedChannel answered = connect();
        send(trickling, "GET /sta");
        send(answered, "GET /stats HTTP/1.1\r\nHost: x\r\n\r\n");
        endpoints.runAll();
        answered.runPendingTasks();
        assertThat(WrittenBytes.drain(answered)).startsWith("HTTP/1.1 200 ");

        EmbeddedChannel fourth = connect();
        assertThat(idle.isOpen()).as("the oldest, idle").isFalse();
        assertThat(List.of(trickling.isOpen(), answered.isOpen(), fourth.isOpen())).containsOnly(true);

        EmbeddedChannel fifth = connect();
        assertThat(trickling.isOpen()).as("the next oldest, half a request line in").isFalse();
        assertThat(fifth.isOpen()).isTrue();

        send(fifth, "GET /stats HTTP/1.1\r\nHost: x\r\n\r\n");
        endpoints.runAll();
        fifth.runPendingTasks();
        assertThat(WrittenBytes.drain(fifth)).as("the newcomer is served").startsWith("HTTP/1.1 200 ");
    }

    @Test
    void whileEveryConnectionIsBeingAnsweredANewOneIsClosedAtOnce() {
        List<EmbeddedChannel> busy = List.of(connect(), connect(), connect());
        busy.forEach(channel -> send(channel, "GET /stats HTTP/1.1\r\nHost: x\r\n\r\n"));

        EmbeddedChannel extra = connect();
        assertThat(extra.isOpen()).isFalse();
        assertThat(busy).allMatch(EmbeddedChannel::isOpen);

        endpoints.runOne();
        busy.get(0).runPendingTasks();
        assertThat(WrittenBytes.drain(busy.get(0))).startsWith("HTTP/1.1 200 ");
        EmbeddedChannel next = connect();
        assertThat(next.isOpen()).as("a place again: the first was answered and idles").isTrue();
        assertThat(busy.get(0).isOpen()).isFalse();
        assertThat(busy.subList(1, 3)).allMatch(EmbeddedChannel::isOpen);
    }

    @Test
    void aClosedConnectionGivesItsPlaceBack() {
        EmbeddedChannel first = connect();
        EmbeddedChannel second = connect();
        EmbeddedChannel third = connect();
        second.close();

        EmbeddedChannel fourth = connect();
        assertThat(List.of(first.isOpen(), third.isOpen(), fourth.isOpen())).containsOnly(true);
    }
}
