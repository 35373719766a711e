package dev.switchboard.framework;

import dev.switchboard.framework.internal.transport.TlsEndpoint;
import java.nio.file.Path;
import java.time.Duration;

/**
 * TLS to the server: which server certificates a client trusts. Set with {@link ClientConfig#tls}; read when the
 * client connects. TLS 1.3 and 1.2 only. {@link Client#connect()} returns once the handshake is done, and throws
 * an {@code IOException} whose cause says why when it fails (an untrusted certificate, a name that does not match,
 * a server that does not speak TLS).
 *
 * <pre>{@code
 * Switchboard.client(c -> c.scan("com.example.chat").host("chat.example.com").port(8443)
 *         .tls(ClientTls.jvmTrustStore()));
 * }</pre>
 *
 * <p>Except with {@link #insecure()}, the server's certificate must name the host the client connects to, as a
 * browser checks it ({@code HTTPS} endpoint identification: a DNS name or, for a host given as an IP address, that
 * address among the certificate's subject alternative names).
 */
public final class ClientTls {

    private enum Trust { FILE, JVM, ANYTHING }

    private final Trust trust;
    private final Path trusted;

    private ClientTls(Trust trust, Path trusted) {
        this.trust = trust;
        this.trusted = trusted;
    }

    /**
     * Trusts the certificates of a PEM file ({@code -----BEGIN CERTIFICATE-----} blocks): a certificate authority,
     * or the server's own self-signed certificate. Only servers whose chain leads to one of them are accepted.
     */
    public static ClientTls trusting(Path pemFile) {
        return new ClientTls(Trust.FILE, ProtocolConfig.requireNonNull(pemFile, "pemFile"));
    }

    /** Trusts the certificate authorities of the JVM's default trust store (its {@code cacerts}). */
    public static ClientTls jvmTrustStore() {
        return new ClientTls(Trust.JVM, null);
    }

    /**
     * For development: accepts any certificate for any name, so anyone in the path can read and change the traffic.
     * Connecting logs one WARN line saying so.
     */
    public static ClientTls insecure() {
        return new ClientTls(Trust.ANYTHING, null);
    }

    /** Loads the trusted certificates; called by {@link Client#connect()}. */
    TlsEndpoint load(Duration handshakeTimeout, String server) {
        return switch (trust) {
            case FILE -> TlsEndpoint.clientTrusting(trusted, handshakeTimeout);
            case JVM -> TlsEndpoint.clientTrustingJvm(handshakeTimeout);
            case ANYTHING -> TlsEndpoint.clientInsecure(handshakeTimeout, server);
        };
    }

    @Override
    public String toString() {
        return switch (trust) {
            case FILE -> "ClientTls[trusting " + trusted + "]";
            case JVM -> "ClientTls[JVM trust store]";
            case ANYTHING -> "ClientTls[insecure]";
        };
    }
}
