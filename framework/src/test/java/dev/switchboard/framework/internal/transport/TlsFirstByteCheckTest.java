package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.NotSslRecordException;
import org.junit.jupiter.api.Test;

class TlsFirstByteCheckTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();

    TlsFirstByteCheckTest() {
        channel.pipeline().addLast(PipelineNames.TLS_CHECK, new TlsFirstByteCheck());
    }

    @Test
    void aHandshakeRecordPassesUntouchedAndTheCheckLeaves() {
        ByteBuf hello = Unpooled.wrappedBuffer(new byte[] {22, 3, 1, 0, 5});
        channel.writeInbound(hello);

        ByteBuf passed = channel.readInbound();
        assertThat(passed).isSameAs(hello);
        assertThat(passed.readableBytes()).isEqualTo(5);
        passed.release();
        assertThat(channel.pipeline().get(PipelineNames.TLS_CHECK)).isNull();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x12})); // later bytes are not its business
        ByteBuf later = channel.readInbound();
        later.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void anyOtherFirstByteIsReleasedAndRefused() {
        ByteBuf plaintext = Unpooled.wrappedBuffer(new byte[] {0x12, 0x34, 0x56, 0x78, 2, 1, 1, 0, 0, 0, 0});

        assertThatThrownBy(() -> channel.writeInbound(plaintext))
                .isInstanceOf(NotSslRecordException.class)
                .hasMessage("first byte 0x12 cannot start a TLS handshake");
        assertThat(plaintext.refCnt()).isZero();
        Object passedOn = channel.readInbound();
        assertThat(passedOn).isNull();
        assertThat(channel.finish()).isFalse();
    }
}
