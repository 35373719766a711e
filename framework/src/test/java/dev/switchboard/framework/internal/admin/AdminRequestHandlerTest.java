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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pipelined requests on one admin connection, with the endpoints run when the test says: answered one at a time in
 * the order they came, a request needing no endpoint waiting its turn too, and past
 * {@link AdminRequestHandler#MAX_WAITING} waiting the rest dropped, the connection closed after the last answer.
 */
class AdminRequestHandlerTest {

    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
    private static final Pattern BODY = Pattern.compile("stats n=\\d+|no such admin endpoint: \\S+");

    private final ManualExecutor endpoints = new ManualExecutor();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInitializer<EmbeddedChannel>() {
        @Override
        protected void initChannel(EmbeddedChannel ch) {
            AdminListener.addHandlers(ch.pipeline(), new ConnectionCap(AdminListener.MAX_CONNECTIONS),
                    new AdminRoutes(Map.of("GET /stats", AdminRoutes.Route.guarded(
                            request -> AdminResponse.text("stats n=" + request.parameter("n").orElseThrow())))),
                    null, endpoints, false);
        }
    });

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderTheyCame() {
        write(get("/stats?n=1") + get("/nope") + get("/stats?n=2") + get("/stats?n=3") + get("/nope-either"));

        assertThat(answers()).as("nothing before the endpoint of the first has run").isEmpty();
        assertThat(endpoints.runOne()).isTrue();
        channel.runPendingTasks();
        // The first's answer, then the 404 that waited behind it; the third needs the endpoint again.
        assertThat(answers()).containsExactly("200 stats n=1", "404 no such admin endpoint: /nope");
        assertThat(channel.config().isAutoRead()).as("reading paused while an endpoint runs").isFalse();
        endpoints.runAll();
        channel.runPendingTasks();
        endpoints.runAll();
        channel.runPendingTasks();
        assertThat(answers()).containsExactly("200 stats n=2", "200 stats n=3",
                "404 no such admin endpoint: /nope-either");
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void pastTheRequestsThatMayWaitTheRestAreDroppedAndTheConnectionClosesAfterTheLastAnswer() {
        StringBuilder requests = new StringBuilder();
        List<String> answered = new ArrayList<>();
        for (int n = 0; n <= AdminRequestHandler.MAX_WAITING + 2; n++) {
            requests.append(get("/stats?n=" + n));
            if (n <= AdminRequestHandler.MAX_WAITING) { // the one being answered and those that may wait
                answered.add("200 stats n=" + n);
            }
        }
        write(requests.toString());

        List<String> answers = new ArrayList<>();
        StringBuilder raw = new StringBuilder();
        while (endpoints.runAll() > 0) {
            channel.runPendingTasks();
            answers.addAll(answers(raw));
        }
        assertThat(answers).isEqualTo(answered);
        assertThat(raw.toString()).as("only the last answer says close").containsOnlyOnce("connection: close")
                .endsWith("connection: close\r\n\r\nstats n=" + AdminRequestHandler.MAX_WAITING);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void noHostHeaderPassesTheLoopbackCheck() {
        assertThat(AdminRequestHandler.loopbackHost(null)).as("an HTTP/1.0 tool; every browser sends one").isTrue();
        assertThat(AdminRequestHandler.loopbackHost("rebound.example")).isFalse();
    }

    @Test
    void whatFollowsARequestThatClosesIsNotAnswered() {
        write("GET /stats?n=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + get("/nope"));

        endpoints.runAll();
        channel.runPendingTasks();
        assertThat(answers()).containsExactly("200 stats n=1");
        assertThat(channel.isOpen()).isFalse();
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    private void write(String requests) {
        channel.writeInbound(Unpooled.copiedBuffer(requests, StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        channel.checkException();
    }

    /** Each response written since the last call, as its status and body. */
    private List<String> answers() {
        return answers(new StringBuilder());
    }

    /** The same, also appending what was written to {@code out}. */
    private List<String> answers(StringBuilder raw) {
        String out = WrittenBytes.drain(channel);
        raw.append(out);
        List<String> answers = new ArrayList<>();
        Matcher status = STATUS.matcher(out);
        Matcher body = BODY.matcher(out);
        while (status.find()) {
            answers.add(status.group(1) + " " + (body.find(status.end()) ? body.group() : "?"));
        }
        return answers;
    }
}
