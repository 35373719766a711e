package dev.switchboard.framework.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket client on Netty's {@link WebSocketClientHandshaker}, for loopback tests of a server's WebSocket port:
 * connects (optionally with TLS, trusting any certificate, and an {@code Origin}), then sends and receives whole
 * messages. Refused handshakes are reported by {@link #handshakeStatus()}. Thread-safe; close it to stop its thread.
 */
public final class WebSocketTestClient implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final CompletableFuture<Integer> handshake = new CompletableFuture<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final BlockingQueue<byte[]> binary = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> text = new LinkedBlockingQueue<>();
    private final AtomicInteger pongs = new AtomicInteger();
    private volatile Channel channel;

    private WebSocketTestClient() {}

    /** Connects to ws://127.0.0.1:port/path without an Origin header and waits for the handshake. */
    public static WebSocketTestClient connect(int port, String path) throws Exception {
        return connect(port, path, null, false);
    }

    /**
     * Connects and waits for the handshake's answer (see {@link #handshakeStatus()}).
     *
     * @param origin the Origin header to send, or null for none
     * @param tls whether to speak wss (any certificate is trusted)
     */
    public static WebSocketTestClient connect(int port, String path, String origin, boolean tls) throws Exception {
        WebSocketTestClient client = new WebSocketTestClient();
        try {
            client.open(port, path, origin, tls);
        } catch (Exception | Error e) {
            client.close();
            throw e;
        }
        return client;
    }

    private void open(int port, String path, String origin, boolean tls) throws Exception {
        URI uri = new URI((tls ? "wss" : "ws") + "://127.0.0.1:" + port + path);
        HttpHeaders headers = new DefaultHttpHeaders();
        if (origin != null) {
            headers.set(HttpHeaderNames.ORIGIN, origin);
        }
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri,
                WebSocketVersion.V13, null, false, headers, 16 << 20);
        SslContext ssl = tls ? SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build() : null;
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), "127.0.0.1", port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new Handler(handshaker));
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
        channel.closeFuture().addListener(f -> {
            closed.complete(null);
            handshake.complete(-1); // closed before an answer
            closeReason.complete("");
            closeCode.complete(-1); // closed without a close frame
        });
        handshake.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private final WebSocketClientHandshaker handshaker;

        Handler(WebSocketClientHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            // On the event loop, so that the handshaker's own write listener (it swaps the request encoder) runs
            // before the answer can be read; started from another thread, a fast 101 could overtake it.
            handshaker.handshake(ctx.channel()).addListener(f -> {
                if (!f.isSuccess()) {
                    handshake.completeExceptionally(f.cause());
                }
            });
            super.channelActive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!handshaker.isHandshakeComplete() && msg instanceof FullHttpResponse response) {
                if (response.status().code() == 101) {
                    handshaker.finishHandshake(ctx.channel(), response);
                }
                handshake.complete(response.status().code());
                return;
            }
            if (msg instanceof BinaryWebSocketFrame frame) {
                binary.add(ByteBufUtil.getBytes(frame.content()));
            } else if (msg instanceof TextWebSocketFrame frame) {
                text.add(frame.text());
            } else if (msg instanceof PongWebSocketFrame) {
                pongs.incrementAndGet();
            } else if (msg instanceof CloseWebSocketFrame frame) {
                closeReason.complete(frame.reasonText()); // first: a waiter wakes on the code
                closeCode.complete(frame.statusCode());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The HTTP status the handshake was answered with: 101 when it succeeded, -1 if closed unanswered. */
    public int handshakeStatus() {
        return handshake.getNow(-1);
    }

    /** Sends one binary message. */
    public void sendBinary(byte[] message) {
        send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message)));
    }

    /** Sends one binary message in fragments of the given sizes (their sum must be the message's length). */
    public void sendFragmented(byte[] message, int... sizes) {
        int offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            ByteBuf part = Unpooled.wrappedBuffer(message, offset, sizes[i]);
            boolean last = i == sizes.length - 1;
            send(i == 0 ? new BinaryWebSocketFrame(last, 0, part) : new ContinuationWebSocketFrame(last, 0, part));
            offset += sizes[i];
        }
    }

    public void sendText(String message) {
        send(new TextWebSocketFrame(message));
    }

    public void ping() {
        send(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
    }

    /** Sends a frame as it is (the client's encoder masks it). */
    public void send(WebSocketFrame frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    /** The next binary message, waiting up to 10 s. */
    public byte[] nextBinary() throws InterruptedException, TimeoutException {
        byte[] message = binary.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new TimeoutException("no binary message within " + WAIT);
        }
        return message;
    }

    /** The next binary message if one comes within {@code millis}, or null. */
    public byte[] nextBinaryOrNull(long millis) throws InterruptedException {
        return binary.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Text messages received (a server of the framework never sends one). */
    public BlockingQueue<String> textReceived() {
        return text;
    }

    /** Pongs received. */
    public int pongs() {
        return pongs.get();
    }

    /** The close code the server sent, waiting up to 10 s; -1 when the connection closed without a close frame. */
    public int awaitCloseCode() throws Exception {
        return closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The close frame's reason text ("" without one); call after {@link #awaitCloseCode()}. */
    public String closeReason() {
        return closeReason.getNow("");
    }

    /** Waits up to {@code within} for the connection to close; whether it did. */
    public boolean awaitClosed(Duration within) throws InterruptedException {
        try {
            closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isOpen() {
        return channel != null && channel.isActive();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
