package dev.switchboard.bench.testing;

import dev.switchboard.bench.protocol.WireFrame;
import dev.switchboard.bench.protocol.WireFrameDecoder;
import dev.switchboard.bench.protocol.WireFrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A loopback proxy in front of a server that decodes what the server sends and lets a {@link Policy} drop or
 * duplicate packets, to prove the load generator notices. Client-to-server bytes pass through untouched.
 */
public final class TamperingProxy implements AutoCloseable {

    /** How many copies of a server-to-client packet to pass on: 0 drops it, 2 duplicates it. */
    @FunctionalInterface
    public interface Policy {
        int copies(Object packet);
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;

    public TamperingProxy(InetSocketAddress upstream, Policy policy) throws InterruptedException {
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel front) {
                        front.pipeline().addLast(WireFrameEncoder.INSTANCE, new FrontHandler(upstream, policy));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Client side: connects upstream, then forwards raw bytes. */
    private static final class FrontHandler extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress upstream;
        private final Policy policy;
        private Channel back;

        FrontHandler(InetSocketAddress upstream, Policy policy) {
            this.upstream = upstream;
            this.policy = policy;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel front = ctx.channel();
            new Bootstrap()
                    .group(front.eventLoop())
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new WireFrameDecoder(), new BackHandler(front, policy));
                        }
                    })
                    .connect(upstream)
                    .addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            back = f.channel();
                            front.config().setAutoRead(true);
                        } else {
                            front.close();
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            back.writeAndFlush(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (back != null) {
                back.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Server side: decoded frames, tampered with, re-encoded towards the client. */
    private static final class BackHandler extends SimpleChannelInboundHandler<WireFrame> {
        private final Channel front;
        private final Policy policy;

        BackHandler(Channel front, Policy policy) {
            this.front = front;
            this.policy = policy;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WireFrame frame) {
            for (int i = policy.copies(frame.packet()); i > 0; i--) {
                front.write(frame);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            front.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            front.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
