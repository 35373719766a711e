package dev.switchboard.framework.internal.transport;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side's TLS settings, loaded once at start: makes the {@link SslHandler} that goes first in each channel's
 * pipeline ({@link PipelineNames#TLS}). TLS 1.3 and 1.2 only, on the JDK's provider. Immutable and thread-safe;
 * {@link #newHandler} is called on the channel's event loop.
 */
public final class TlsEndpoint {

    private static final Logger log = LoggerFactory.getLogger(TlsEndpoint.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext context;
    private final long handshakeTimeoutMillis;
    private final String description;

    private TlsEndpoint(SslContext context, Duration handshakeTimeout, String description) {
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("TLS handshake timeout must be positive: " + handshakeTimeout);
        }
        this.context = context;
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
        this.description = description;
    }

    /**
     * A server presenting the certificate chain and key of two PEM files.
     *
     * @throws IllegalArgumentException naming the file that cannot be used
     */
    public static TlsEndpoint server(Path certChain, Path privateKey, Duration handshakeTimeout) {
        KeyMaterial.Identity identity = KeyMaterial.readPem(certChain, privateKey);
        X509Certificate own = identity.certificate();
        Instant now = Instant.now();
        if (now.isAfter(own.getNotAfter().toInstant()) || now.isBefore(own.getNotBefore().toInstant())) {
            log.warn("TLS certificate {} ({}) is not valid now: valid from {} to {}; clients will refuse it",
                    certChain, own.getSubjectX500Principal().getName(), own.getNotBefore().toInstant(),
                    own.getNotAfter().toInstant());
        }
        return server(identity, handshakeTimeout, "TLS with " + certChain);
    }

    /**
     * A server presenting a certificate generated now, which no client can verify; logs one WARN line saying so,
     * with the certificate's fingerprint.
     */
    public static TlsEndpoint selfSignedServer(Duration handshakeTimeout) {
        KeyMaterial.Identity identity = KeyMaterial.selfSigned();
        log.warn("TLS with a self-signed certificate generated at start (SHA-256 {}): for development only,"
                + " clients can connect only without verifying it", KeyMaterial.fingerprint(identity.certificate()));
        return server(identity, handshakeTimeout, "TLS with a self-signed certificate");
    }

    private static TlsEndpoint server(KeyMaterial.Identity identity, Duration handshakeTimeout, String description) {
        SslContextBuilder builder = SslContextBuilder.forServer(identity.key(),
                identity.chain().toArray(X509Certificate[]::new));
        return new TlsEndpoint(build(builder), handshakeTimeout, description);
    }

    /**
     * A client trusting the certificates of a PEM file (a CA, or the server's own certificate), checking that the
     * server's certificate names the host it connects to.
     */
    public static TlsEndpoint clientTrusting(Path trusted, Duration handshakeTimeout) {
        List<X509Certificate> certificates = KeyMaterial.readCertificates(trusted, "trusted certificates");
        SslContextBuilder builder = SslContextBuilder.forClient()
                .trustManager(certificates.toArray(X509Certificate[]::new))
                .endpointIdentificationAlgorithm("HTTPS");
        return new TlsEndpoint(build(builder), handshakeTimeout, "TLS trusting " + trusted);
    }

    /** A client trusting the JVM's default trust store, checking that the server's certificate names its host. */
    public static TlsEndpoint clientTrustingJvm(Duration handshakeTimeout) {
        SslContextBuilder builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
        return new TlsEndpoint(build(builder), handshakeTimeout, "TLS trusting the JVM's trust store");
    }

    /** A client that accepts any certificate for any name; logs one WARN line saying so. */
    public static TlsEndpoint clientInsecure(Duration handshakeTimeout, String server) {
        log.warn("TLS to {} without verifying the server's certificate (insecure): for development only", server);
        SslContextBuilder builder = SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .endpointIdentificationAlgorithm(null);
        return new TlsEndpoint(build(builder), handshakeTimeout, "TLS without verification");
    }

    private static SslContext build(SslContextBuilder builder) {
        try {
            return builder.sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** A server-side handler for an accepted channel. */
    public SslHandler newHandler(Channel channel) {
        return timed(context.newHandler(channel.alloc()));
    }

    /**
     * A client-side handler for a channel to {@code host}: the name sent as SNI (unless an IP address) and, unless
     * insecure, the name the server's certificate must match.
     */
    public SslHandler newHandler(Channel channel, String host, int port) {
        return timed(context.newHandler(channel.alloc(), host, port));
    }

    private SslHandler timed(SslHandler handler) {
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }

    /** How long a handshake may take before the connection is closed. */
    public Duration handshakeTimeout() {
        return Duration.ofMillis(handshakeTimeoutMillis);
    }

    @Override
    public String toString() {
        return description;
    }
}
