package dev.switchboard.bench.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ServerAddressesTest {

    private static final ServerAddresses THREE = ServerAddresses.parse("127.0.0.1:8001, 127.0.0.2:8002,[::1]:8003");

    @Test
    void readsHostPortListsInOrderWithIpv6InBrackets() {
        assertThat(THREE.all()).containsExactly(new InetSocketAddress("127.0.0.1", 8001),
                new InetSocketAddress("127.0.0.2", 8002), new InetSocketAddress("::1", 8003));
        assertThat(THREE.first().getPort()).isEqualTo(8001);
        assertThat(THREE).hasToString("127.0.0.1:8001,127.0.0.2:8002,[0:0:0:0:0:0:0:1]:8003");
        assertThat(ServerAddresses.parse("localhost:9000").first().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void spreadsClientIOnServerIModN() {
        assertThat(IntStream.range(0, 7).map(THREE::indexForClient).toArray()).containsExactly(0, 1, 2, 0, 1, 2, 0);
        assertThat(THREE.forClient(4).getPort()).isEqualTo(8002);
        assertThat(ServerAddresses.parse("127.0.0.1:8001").forClient(5).getPort()).isEqualTo(8001);
    }

    @Test
    void failsOverToTheNextServerWrappingAroundSoEveryServerIsTriedBeforeTheFirstAgain() {
        List<Integer> tried = new ArrayList<>();
        int index = THREE.indexForClient(1);
        for (int attempt = 0; attempt < 4; attempt++) {
            tried.add(THREE.get(index).getPort());
            index = THREE.next(index);
        }
        assertThat(tried).containsExactly(8002, 8003, 8001, 8002);
        ServerAddresses one = ServerAddresses.of(new InetSocketAddress("127.0.0.1", 8001));
        assertThat(one.next(0)).as("a single server is its own next").isZero();
    }

    @Test
    void refusesAddressesOffLoopbackNamingThem() {
        assertThatThrownBy(() -> ServerAddresses.parse("127.0.0.1:8001,192.0.2.1:8002"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("192.0.2.1:8002 is not on loopback");
        assertThatThrownBy(() -> new ServerAddresses(List.of()))
                .hasMessageContaining("no server address");
    }

    @Test
    void refusesEntriesThatAreNotHostPortNamingTheEntry() {
        assertThatThrownBy(() -> ServerAddresses.parse("127.0.0.1:8001,,127.0.0.1:8002"))
                .hasMessageContaining("'' is not HOST:PORT");
        assertThatThrownBy(() -> ServerAddresses.parse("127.0.0.1")).hasMessageContaining("'127.0.0.1' is not");
        assertThatThrownBy(() -> ServerAddresses.parse("127.0.0.1:http"))
                .hasMessageContaining("'127.0.0.1:http': the port is not a number");
        assertThatThrownBy(() -> ServerAddresses.parse("127.0.0.1:0")).hasMessageContaining("port outside");
        assertThatThrownBy(() -> ServerAddresses.parse("::1:8000")).hasMessageContaining("in brackets");
    }
}
