package dev.switchboard.framework;

import dev.switchboard.framework.internal.transport.TlsEndpoint;
import java.nio.file.Path;
import java.time.Duration;

/**
 * TLS on a server's port: the certificate the server presents. Set with {@link ServerConfig#tls}; the files are
 * read when the server starts, and {@link Server#start()} fails with a message naming the file that cannot be used
 * (missing, unreadable, not PEM, a key that does not belong to the certificate), before any port is bound.
 *
 * <pre>{@code
 * Switchboard.server(c -> c.scan("com.example.chat").port(8443)
 *         .tls(ServerTls.pem(Path.of("fullchain.pem"), Path.of("privkey.pem"))));
 * }</pre>
 *
 * <p>Only TLS 1.3 and 1.2 are offered, with the JDK's default cipher suites; clients do not present certificates.
 * A handshake must finish within the auth timeout or 10 s, whichever is shorter. A peer that sends anything but a
 * TLS handshake (a plaintext client) is closed at once, with one INFO line and no stack trace.
 */
public final class ServerTls {

    final Path certChain;   // null: self-signed
    final Path privateKey;

    private ServerTls(Path certChain, Path privateKey) {
        this.certChain = certChain;
        this.privateKey = privateKey;
    }

    /**
     * The certificate chain and private key in two PEM files, as a certificate authority issues them.
     *
     * @param certChain one or more {@code -----BEGIN CERTIFICATE-----} blocks: the server's own certificate first,
     *     then the intermediates (a Let's Encrypt {@code fullchain.pem}); text between blocks is ignored
     * @param privateKey the server certificate's key, RSA or EC, unencrypted: PKCS#8 ({@code BEGIN PRIVATE KEY},
     *     what {@code openssl req -newkey ... -nodes} and {@code openssl genpkey} write) or the traditional
     *     {@code BEGIN RSA PRIVATE KEY} and {@code BEGIN EC PRIVATE KEY} forms. Encrypted keys are refused.
     */
    public static ServerTls pem(Path certChain, Path privateKey) {
        return new ServerTls(ProtocolConfig.requireNonNull(certChain, "certChain"),
                ProtocolConfig.requireNonNull(privateKey, "privateKey"));
    }

    /**
     * For development: an EC P-256 certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, generated
     * at every start and never written anywhere, so no client can verify it (clients must trust anything, see
     * {@link ClientTls#insecure()}). Start logs one WARN line saying so, with the certificate's SHA-256 fingerprint.
     */
    public static ServerTls selfSigned() {
        return new ServerTls(null, null);
    }

    /** Loads the files or generates the certificate; called by {@link Server#start()}. */
    TlsEndpoint load(Duration handshakeTimeout) {
        return certChain == null ? TlsEndpoint.selfSignedServer(handshakeTimeout)
                : TlsEndpoint.server(certChain, privateKey, handshakeTimeout);
    }

    @Override
    public String toString() {
        return certChain == null ? "ServerTls[self-signed]" : "ServerTls[" + certChain + ", " + privateKey + "]";
    }
}
