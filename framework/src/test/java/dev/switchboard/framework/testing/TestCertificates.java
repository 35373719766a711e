package dev.switchboard.framework.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made for a test, written as PEM files into its temporary directory: a certificate authority and
 * server certificates it issues, or self-signed ones. Nothing is committed: every run makes its own.
 */
public final class TestCertificates {

    /** Key types, as a server operator might have them. */
    public enum KeyType { EC, RSA }

    /** A key and its certificate, with the certificate of whoever issued it (itself when self-signed). */
    public record Issued(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {

        /** Writes the chain (this certificate, then its issuer unless self-signed) to {@code file}. */
        public Path writeChain(Path file) {
            return write(file, certificate.equals(issuer) ? pem("CERTIFICATE", encoded(certificate))
                    : pem("CERTIFICATE", encoded(certificate)) + "some text between blocks\n"
                            + pem("CERTIFICATE", encoded(issuer)));
        }

        /** Writes the certificate alone (what a client trusting this very certificate is given). */
        public Path writeCertificate(Path file) {
            return write(file, pem("CERTIFICATE", encoded(certificate)));
        }

        /** Writes the key as unencrypted PKCS#8, {@code BEGIN PRIVATE KEY}, as {@code openssl req -newkey} does. */
        public Path writePkcs8Key(Path file) {
            return write(file, pem("PRIVATE KEY", key.getEncoded()));
        }

        /**
         * Writes the key in the traditional form: {@code BEGIN RSA PRIVATE KEY} (PKCS#1) or {@code BEGIN EC PRIVATE
         * KEY} (SEC 1, with the curve named inside, as {@code openssl ecparam -genkey} writes it).
         */
        public Path writeTraditionalKey(Path file) {
            try {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
                if (key.getAlgorithm().equals("RSA")) {
                    return write(file, pem("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded()));
                }
                ECPrivateKey sec1 = ECPrivateKey.getInstance(info.parsePrivateKey());
                ECPrivateKey named = new ECPrivateKey(256, sec1.getKey(), sec1.getPublicKey(),
                        info.getPrivateKeyAlgorithm().getParameters());
                return write(file, pem("EC PRIVATE KEY", named.getEncoded()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Issued authority;

    private TestCertificates(Issued authority) {
        this.authority = authority;
    }

    /** A new certificate authority. */
    public static TestCertificates authority() {
        KeyPair pair = keyPair(KeyType.EC);
        X500Name name = new X500Name("CN=Switchboard test CA");
        X509Certificate certificate = build(name, name, pair, pair.getPrivate(), true, List.of());
        return new TestCertificates(new Issued(pair.getPrivate(), certificate, certificate));
    }

    /** The authority's own certificate, for the client's trust file. */
    public Issued self() {
        return authority;
    }

    /** A server certificate issued by this authority for {@code names} (DNS names or IP addresses). */
    public Issued issue(KeyType type, String... names) {
        KeyPair pair = keyPair(type);
        X509Certificate certificate = build(new X500Name("CN=" + names[0]),
                X500Name.getInstance(authority.certificate().getSubjectX500Principal().getEncoded()), pair,
                authority.key(),
                false, List.of(names));
        return new Issued(pair.getPrivate(), certificate, authority.certificate());
    }

    /** A self-signed server certificate for {@code names}. */
    public static Issued selfSigned(KeyType type, String... names) {
        KeyPair pair = keyPair(type);
        X500Name name = new X500Name("CN=" + names[0]);
        X509Certificate certificate = build(name, name, pair, pair.getPrivate(), false, List.of(names));
        return new Issued(pair.getPrivate(), certificate, certificate);
    }

    private static KeyPair keyPair(KeyType type) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.name());
            if (type == KeyType.EC) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(X500Name subject, X500Name issuer, KeyPair pair, PrivateKey signer,
            boolean authority, List<String> names) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                    pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (authority) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
            }
            if (!names.isEmpty()) {
                List<GeneralName> alternatives = new ArrayList<>();
                for (String name : names) {
                    alternatives.add(isAddress(name) ? new GeneralName(GeneralName.iPAddress, name)
                            : new GeneralName(GeneralName.dNSName, name));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternatives.toArray(GeneralName[]::new)));
            }
            String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a test certificate: " + e, e);
        }
    }

    private static boolean isAddress(String name) {
        if (!name.matches("[0-9.]+|.*:.*")) {
            return false;
        }
        try {
            InetAddress.getByName(name);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
