package dev.switchboard.im.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.testing.ProtocolScans;
import dev.switchboard.framework.testing.ProtocolScans.Finder;
import dev.switchboard.framework.testing.ProtocolScans.Side;
import org.junit.jupiter.api.Test;

/**
 * The protocol index the build writes (the framework's annotation processor) is what a start uses, and it finds
 * exactly what ClassGraph finds: the same commands with the same codes, the same handler methods, on both sides.
 */
class ProtocolIndexScanTest {

    /** ChatClient's packages. */
    private static final String[] CLIENT = {"dev.switchboard.im.protocol", "dev.switchboard.im.client"};

    @Test
    void theServerScansFromTheIndexAndFindsWhatClassGraphFinds() {
        ProtocolScans.Found indexed = ProtocolScans.scan(Finder.INDEX, Side.SERVER, ImServer.PACKAGES);
        ProtocolScans.Found scanned = ProtocolScans.scan(Finder.CLASSGRAPH, Side.SERVER, ImServer.PACKAGES);

        assertThat(indexed.source()).isEqualTo("the protocol index");
        assertThat(indexed.packets()).hasSize(59).isEqualTo(scanned.packets());
        assertThat(indexed.handlers()).hasSize(29).isEqualTo(scanned.handlers());
    }

    @Test
    void theClientScansFromTheIndexAndFindsWhatClassGraphFinds() {
        ProtocolScans.Found indexed = ProtocolScans.scan(Finder.INDEX, Side.CLIENT, CLIENT);
        ProtocolScans.Found scanned = ProtocolScans.scan(Finder.CLASSGRAPH, Side.CLIENT, CLIENT);

        assertThat(indexed.source()).isEqualTo("the protocol index");
        assertThat(indexed.packets()).isEqualTo(scanned.packets());
        assertThat(indexed.handlers()).isNotEmpty().isEqualTo(scanned.handlers());
    }
}
