package dev.switchboard.im.fuzz;

import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.EmbeddedPipeline;
import dev.switchboard.framework.ServerConfig;
import dev.switchboard.im.protocol.ProtocolVersion;
import dev.switchboard.im.server.ImServerModule;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.WebSettings;
import dev.switchboard.im.server.error.ImErrorHandler;
import dev.switchboard.im.server.ops.RateLimiter;
import dev.switchboard.im.server.ops.SessionCleanup;
import dev.switchboard.im.store.StorageFailureListener;
import dev.switchboard.im.store.StoreModule;
import java.time.Clock;

/**
 * The IM server's pipeline, handlers and in-memory store on {@code EmbeddedChannel}s. The configuration mirrors
 * {@code ImServer.start} line for line (which binds a socket as it configures, so it cannot be reused here): keep
 * the two in step.
 */
final class EmbeddedImServer {

    private EmbeddedImServer() {}

    /** The server of {@code settings}; its web listener too, if they have one. */
    static EmbeddedPipeline start(ImServerSettings settings) {
        return EmbeddedPipeline.of(c -> configure(c, settings));
    }

    private static void configure(ServerConfig c, ImServerSettings settings) {
        c.scan("dev.switchboard.im.protocol", "dev.switchboard.im.server")
                .wireFormat(new DefaultWireFormat().acceptingVersions(ProtocolVersion.V1, ProtocolVersion.V2))
                .modules(new ImServerModule(settings, Clock.systemUTC(), StorageFailureListener.logOnly()),
                        StoreModule.memory())
                .maxBodyLength(settings.maxBodyLength())
                .readerIdleTimeout(settings.readerIdleTimeout())
                .authTimeout(settings.authTimeout())
                .businessExecutor(settings.hashThreads(), 1_000)
                .errorHandler(ImErrorHandler.class)
                .interceptor(RateLimiter.class)
                .listener(SessionCleanup.class)
                .shutdownHook(false);
        settings.web().ifPresent(web -> c.webSocket(ws -> {
            ws.port(web.port()).path(WebSettings.SOCKET_PATH).staticFiles(WebSettings.STATIC_ROOT);
            web.origins().forEach(ws::allowOrigin);
        }));
    }
}
