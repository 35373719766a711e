package dev.switchboard.framework.internal.transport;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Certificates and private keys: reads them from PEM files and generates the development certificate. The only
 * framework class that imports Bouncy Castle; it uses Bouncy Castle's PEM parser and certificate builder only, with
 * the JDK's own providers for every cryptographic operation (nothing is registered as a security provider).
 * Stateless; any thread.
 */
public final class KeyMaterial {

    /** A private key and the certificate chain that goes with it, the server's own certificate first. */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {
        public Identity {
            chain = List.copyOf(chain);
        }

        /** The server's own certificate. */
        public X509Certificate certificate() {
            return chain.get(0);
        }
    }

    private static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(30);

    private KeyMaterial() {}

    /**
     * Reads a certificate chain and its private key from PEM files and checks that they belong together.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static Identity readPem(Path certChain, Path privateKey) {
        List<X509Certificate> chain = readCertificates(certChain, "certificate chain");
        PrivateKey key = readPrivateKey(privateKey);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException("TLS private key " + privateKey + " does not belong to the first"
                    + " certificate in " + certChain + " (" + chain.get(0).getSubjectX500Principal().getName()
                    + ")");
        }
        return new Identity(key, chain);
    }

    /**
     * Reads every {@code CERTIFICATE} block of a PEM file (text around the blocks is ignored).
     *
     * @param what for messages: "certificate chain", "trusted certificates"
     * @throws IllegalArgumentException naming the file if it cannot be read or holds no certificate
     */
    public static List<X509Certificate> readCertificates(Path file, String what) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        Reader reader = open(file, what);
        try (PEMParser parser = new PEMParser(reader)) {
            for (Object block; (block = parser.readObject()) != null; ) {
                if (block instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("TLS " + what + " " + file + " is not valid PEM: " + e.getMessage(),
                    e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("TLS " + what + " " + file
                    + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /**
     * Reads the first private key of a PEM file: PKCS#8 ({@code BEGIN PRIVATE KEY}), or the traditional RSA
     * ({@code BEGIN RSA PRIVATE KEY}, PKCS#1) and EC ({@code BEGIN EC PRIVATE KEY}, SEC 1) forms. RSA and EC keys
     * only; encrypted keys are refused.
     */
    static PrivateKey readPrivateKey(Path file) {
        String what = "private key";
        Object block;
        Reader reader = open(file, what);
        try (PEMParser parser = new PEMParser(reader)) {
            do {
                block = parser.readObject();
            } while (block != null && !isKey(block));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("TLS private key " + file + " is not valid PEM: " + e.getMessage(), e);
        }
        if (block == null) {
            throw new IllegalArgumentException("TLS private key " + file
                    + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        if (block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair) {
            throw new IllegalArgumentException("TLS private key " + file + " is encrypted; give an unencrypted"
                    + " PKCS#8 key (openssl pkcs8 -topk8 -nocrypt)");
        }
        PrivateKey key;
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            key = block instanceof PEMKeyPair pair ? converter.getPrivateKey(pair.getPrivateKeyInfo())
                    : converter.getPrivateKey((PrivateKeyInfo) block);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("TLS private key " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (signatureAlgorithm(key) == null) {
            throw new IllegalArgumentException("TLS private key " + file + " is a " + key.getAlgorithm()
                    + " key; RSA and EC keys are supported");
        }
        return key;
    }

    private static boolean isKey(Object block) {
        return block instanceof PrivateKeyInfo || block instanceof PEMKeyPair
                || block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair;
    }

    private static Reader open(Path file, String what) {
        try {
            return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("TLS " + what + " " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("TLS " + what + " " + file + " cannot be read: " + e, e);
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> null;
        };
    }

    /** Whether {@code key} is the private half of {@code publicKey}: signs a challenge and verifies it. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equalsIgnoreCase(publicKey.getAlgorithm())
                && !(isEc(key.getAlgorithm()) && isEc(publicKey.getAlgorithm()))) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(signatureAlgorithm(key));
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm(key));
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean isEc(String algorithm) {
        return algorithm.equalsIgnoreCase("EC") || algorithm.equalsIgnoreCase("ECDSA");
    }

    /**
     * A new EC P-256 key and a self-signed certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1},
     * valid from an hour ago for 30 days.
     */
    public static Identity selfSigned() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=localhost, O=Switchboard development certificate");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minusSeconds(3_600)),
                    Date.from(now.plus(SELF_SIGNED_VALIDITY)), name, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.iPAddress, "::1")}));
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            return new Identity(pair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate: " + e, e);
        }
    }

    /** The SHA-256 fingerprint of a certificate as {@code AB:CD:...}, as {@code openssl x509 -fingerprint} prints it. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }
}
