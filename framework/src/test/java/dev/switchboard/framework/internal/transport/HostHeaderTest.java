package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which Host headers name this machine's loopback, and which only look as if they might. */
class HostHeaderTest {

    @Test
    void aLoopbackNameIsLocalhostOrALoopbackAddressWithAnyPort() {
        assertThat(List.of("localhost", "LocalHost:9090", "127.0.0.1", "127.0.0.1:9090", "127.255.0.9", "[::1]",
                "[::1]:9090", " localhost ")).allMatch(HostHeader::namesLoopback);
    }

    @Test
    void namesThatMerelyContainOneAreNot() {
        assertThat(List.of("rebound.example", "rebound.example:9090", "localhost.rebound.example", "127.0.0.1.nip.io",
                "128.0.0.1", "127.0.0.256", "[::2]", "0.0.0.0", "", "localhost:9090:1", "localhost:123456"))
                .noneMatch(HostHeader::namesLoopback);
        assertThat(HostHeader.namesLoopback(null)).as("no header is no name").isFalse();
    }
}
