package dev.switchboard.framework.internal.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.InvalidProtocolException;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import dev.switchboard.framework.internal.codec.PacketType;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ProtocolScannerTest {

    private static final String FIXTURES = "dev.switchboard.framework.fixtures.";
    private static final List<Serializer> SERIALIZERS = List.of(Serializers.json(), Serializers.jsonb());

    private static ScannedProtocol scan(String fixture) {
        return ProtocolScanner.scan(List.of(FIXTURES + fixture), new DefaultWireFormat(), SERIALIZERS,
                ProtocolScanner.Side.SERVER);
    }

    private static AbstractThrowableAssert<?, ?> assertScanFails(String fixture) {
        return assertThatThrownBy(() -> scan(fixture)).isInstanceOf(InvalidProtocolException.class);
    }

    private static List<String> problems(String fixture) {
        try {
            scan(fixture);
        } catch (InvalidProtocolException e) {
            return e.problems();
        }
        throw new AssertionError(fixture + " scanned without problems");
    }

    @Test
    void eachSideBindsItsOwnAndTheUnmarkedHandlersOnly() {
        for (ProtocolScanner.Side side : ProtocolScanner.Side.values()) {
            ScannedProtocol protocol = ProtocolScanner.scan(List.of(FIXTURES + "sides"), new DefaultWireFormat(),
                    SERIALIZERS, side);
            assertThat(protocol.packetTypes()).as("packets are shared").hasSize(3);
            assertThat(protocol.handlers().stream().map(h -> h.method().getDeclaringClass().getSimpleName()))
                    .as("handlers the %s binds", side)
                    .containsExactlyInAnyOrder(side == ProtocolScanner.Side.SERVER ? "AskHandlers" : "ToldHandlers",
                            "EitherHandlers");
        }
    }

    @Test
    void aHandlerClassMarkedForBothSidesIsRefused() {
        assertThat(problems("broken.bothsides"))
                .containsExactly("ConfusedHandlers is marked both @ServerSide and @ClientSide");
    }

    @Test
    void findsEveryPacketAndHandlerOfAValidProtocol() {
        ScannedProtocol protocol = scan("echo");

        assertThat(protocol.packetTypes()).extracting(PacketType::code)
                .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        assertThat(protocol.packetTypes()).filteredOn(PacketType::anonymous).extracting(PacketType::name)
                .containsExactlyInAnyOrder("Login", "Ping", "Bye");
        assertThat(protocol.handlers()).extracting(HandlerMethod::describe).contains(
                "@Handles EchoHandlers.login(Login, Connection)",
                "@Handles EchoHandlers.ping(Ping)",
                "@Handles EchoHandlers.later(Later)");
        assertThat(protocol.handlers()).filteredOn(HandlerMethod::blocking).extracting(h -> h.method().getName())
                .containsExactlyInAnyOrder("login", "slow");
        assertThat(protocol.took()).isPositive();
    }

    @Test
    void twoClassesWithOneCode() {
        assertScanFails("broken.duplicatecode")
                .hasMessageContaining("command code 3 is declared by both ChatMessage and MessageRequest");
    }

    @Test
    void codesOutsideTheWireFormatsRange() {
        assertThat(problems("broken.outofrange")).containsExactlyInAnyOrder(
                "command code -1 of Negative is outside the range 0..255 of DefaultWireFormat(magic=0x12345678)",
                "command code 256 of TooBig is outside the range 0..255 of DefaultWireFormat(magic=0x12345678)");
    }

    @Test
    void everyBadHandlerSignatureIsNamed() {
        assertThat(problems("broken.badsignature")).containsExactlyInAnyOrder(
                "@Handles BadHandlers.noParameters takes 0 parameters; expected (Packet) or (Packet, Connection)",
                "@Handles BadHandlers.notAPacket: first parameter String is not a scanned @Command packet class",
                "@Handles BadHandlers.secondNotConnection: second parameter must be Connection, not String",
                "@Handles BadHandlers.tooMany takes 3 parameters; expected (Packet) or (Packet, Connection)",
                "@Handles BadHandlers.returnsInt returns int; expected void, a @Command packet, Object or "
                        + "CompletionStage",
                "@Handles BadHandlers.isStatic is static; handlers are instance methods of injected classes");
    }

    @Test
    void twoHandlersForOnePacketType() {
        assertScanFails("broken.twohandlers").hasMessageContaining(
                "Thing is handled by both @Handles FirstHandlers.handle(Thing) and "
                        + "@Handles SecondHandlers.onThing(Thing, Connection)");
    }

    @Test
    void packetClassesTheSerializerCannotBuild() {
        List<String> problems = problems("broken.unbuildable");
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .startsWith("packet AbstractPacket (command 1) ").contains("abstract"));
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .startsWith("packet InnerPacket (command 2) ").contains("inner class"));
    }

    @Test
    void aHandlerImplementingAGenericInterfaceIsNotTrippedByItsBridgeMethod() {
        ScannedProtocol protocol = scan("bridge");
        assertThat(protocol.handlers()).extracting(HandlerMethod::describe)
                .containsExactly("@Handles NoteHandler.handle(Note)");
    }

    @Test
    void noPackagesIsAConfigurationError() {
        assertThatThrownBy(() -> ProtocolScanner.scan(List.of(), new DefaultWireFormat(), SERIALIZERS,
                ProtocolScanner.Side.SERVER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scan(");
    }

    @Test
    void theMessageListsEveryProblemOnItsOwnLine() {
        assertScanFails("broken.outofrange").hasMessageStartingWith("invalid protocol:\n  command code");
    }
}
