package dev.switchboard.framework.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.ParsingLimits;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class Fastjson2SerializerTest {

    record Note(String text, long id, List<String> tags) {}

    static List<Serializer> both() {
        return List.of(Serializers.json(), Serializers.jsonb());
    }

    private static byte[] bytes(Serializer serializer, Object packet) {
        ByteBuf out = Unpooled.buffer();
        try {
            serializer.write(packet, out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }

    @ParameterizedTest
    @MethodSource("both")
    void roundTripsThroughAHeapSliceInTheMiddleOfALargerBuffer(Serializer serializer) {
        Note note = new Note("héllo", 7, List.of("a", "b"));
        byte[] body = bytes(serializer, note);
        ByteBuf whole = PooledByteBufAllocator.DEFAULT.heapBuffer();
        try {
            whole.writeBytes(new byte[] {9, 9, 9}).writeBytes(body).writeBytes(new byte[] {8, 8});
            ByteBuf slice = whole.slice(3, body.length);
            assertThat(slice.hasArray()).isTrue();
            assertThat(serializer.read(slice, Note.class)).isEqualTo(note);
        } finally {
            whole.release();
        }
    }

    @ParameterizedTest
    @MethodSource("both")
    void roundTripsThroughADirectSlice(Serializer serializer) {
        Note note = new Note("x", 1, List.of());
        byte[] body = bytes(serializer, note);
        ByteBuf whole = PooledByteBufAllocator.DEFAULT.directBuffer();
        try {
            whole.writeByte(1).writeBytes(body).writeByte(2);
            assertThat(serializer.read(whole.slice(1, body.length), Note.class)).isEqualTo(note);
        } finally {
            whole.release();
        }
    }

    @ParameterizedTest
    @MethodSource("both")
    void roundTripsThroughACompositeBuffer(Serializer serializer) {
        Note note = new Note("split across components", 3, List.of("t"));
        byte[] body = bytes(serializer, note);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        try {
            int half = body.length / 2;
            composite.addComponent(true, Unpooled.wrappedBuffer(body, 0, half));
            composite.addComponent(true, Unpooled.wrappedBuffer(body, half, body.length - half));
            assertThat(serializer.read(composite, Note.class)).isEqualTo(note);
        } finally {
            composite.release();
        }
    }

    @ParameterizedTest
    @MethodSource("both")
    void anEmptyBodyIsRejected(Serializer serializer) {
        assertThatThrownBy(() -> serializer.read(Unpooled.EMPTY_BUFFER, Note.class))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void jsonOmitsNullsAndIgnoresUnknownFields() {
        assertThat(new String(bytes(Serializers.json(), new Note(null, 2, null)), StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":2}");
        ByteBuf body = Unpooled.copiedBuffer("{\"id\":5,\"extra\":{\"deep\":[1]},\"text\":\"t\"}",
                StandardCharsets.UTF_8);
        try {
            assertThat(Serializers.json().read(body, Note.class)).isEqualTo(new Note("t", 5, null));
        } finally {
            body.release();
        }
    }

    @Test
    void jsonNullAndGarbageAreRejected() {
        for (String text : List.of("null", "{", "[1,2]", "\"str\"", "{\"id\":\"not a number\"}")) {
            ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
            try {
                assertThatThrownBy(() -> Serializers.json().read(body, Note.class)).as(text)
                        .isInstanceOf(RuntimeException.class);
            } finally {
                body.release();
            }
        }
    }

    @Test
    void jsonbGarbageIsRejected() {
        ByteBuf body = Unpooled.wrappedBuffer(new byte[] {(byte) 0xA6, 0x01, 0x7F, 0x00});
        assertThatThrownBy(() -> Serializers.jsonb().read(body, Note.class)).isInstanceOf(RuntimeException.class);
    }

    abstract static class Abstract {}

    @SuppressWarnings("ClassCanBeStatic") // on purpose: an inner class the serializer must refuse
    class Inner {}

    @Test
    void verifyNamesWhatCannotBeBuilt() {
        assertThatThrownBy(() -> Serializers.json().verify(Abstract.class))
                .hasMessageContaining("abstract");
        assertThatThrownBy(() -> Serializers.json().verify(Inner.class))
                .hasMessageContaining("inner class");
        assertThatThrownBy(() -> Serializers.json().verify(Runnable.class))
                .hasMessageContaining("interface");
        Serializers.json().verify(Note.class);
        Serializers.jsonb().verify(Note.class);
    }

    record Counter(Long seq) {}

    @ParameterizedTest
    @MethodSource("both")
    void aBodyThatIsNotThePacketIsAMalformedBodyWithAShortMessageWithoutControlCharacters(Serializer serializer) {
        byte[] body = bytes(serializer, java.util.Map.of("seq", "1 2\n" + "3".repeat(5_000)));
        assertThatThrownBy(() -> serializer.read(Unpooled.wrappedBuffer(body), Counter.class))
                .isInstanceOf(MalformedBody.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith("not a Counter: ").hasSizeLessThan(200)
                        .doesNotContain("\n"));
    }

    @ParameterizedTest
    @MethodSource("both")
    void theLimitsAreTheSerializersOwn(Serializer serializer) {
        Note note = new Note("x", 1, List.of("a", "b", "c"));
        byte[] body = bytes(serializer, note);
        ParsingLimits twoElements = ParsingLimits.defaults().withMaxElements(2);
        Serializer strict = serializer.id() == Serializers.JSON_ID ? Serializers.json(twoElements)
                : Serializers.jsonb(twoElements);
        assertThat(strict.id()).isEqualTo(serializer.id());
        assertThat(serializer.read(Unpooled.wrappedBuffer(body), Note.class)).isEqualTo(note);
        assertThatThrownBy(() -> strict.read(Unpooled.wrappedBuffer(body), Note.class))
                .isInstanceOf(MalformedBody.class).hasMessageContaining("more than 2 elements");
    }

    @Test
    void aJsonbLengthCannotReachIntoTheBytesAfterTheBody() {
        // A heap body is a slice of a buffer that holds more frames: a string declared longer than the body
        // must not pick up the next frame's bytes.
        byte[] body = {(byte) 0xa6, 0x4a, 't', 0x79, 0x0a}; // { "text": ascii string of 10 bytes ...
        ByteBuf whole = Unpooled.buffer();
        try {
            whole.writeBytes(body).writeBytes("secret!!!!".getBytes(StandardCharsets.US_ASCII)).writeByte(0xa5);
            ByteBuf slice = whole.slice(0, body.length);
            assertThatThrownBy(() -> Serializers.jsonb().read(slice, Note.class)).isInstanceOf(MalformedBody.class)
                    .hasMessage("a declared length of 10 with 0 bytes left at byte 4");
        } finally {
            whole.release();
        }
    }
}
