package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.testing.TestCertificates;
import dev.switchboard.framework.testing.TestCertificates.Issued;
import dev.switchboard.framework.testing.TestCertificates.KeyType;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading PEM files as operators have them, refusing the rest naming the file; the development certificate. */
class KeyMaterialTest {

    @TempDir
    Path dir;

    private final TestCertificates authority = TestCertificates.authority();

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void readsAChainAndAPkcs8Key(KeyType type) {
        Issued server = authority.issue(type, "localhost");
        Path chain = server.writeChain(dir.resolve("chain.pem"));
        Path key = server.writePkcs8Key(dir.resolve("key.pem"));

        KeyMaterial.Identity identity = KeyMaterial.readPem(chain, key);

        assertThat(identity.chain()).containsExactly(server.certificate(), authority.self().certificate());
        assertThat(identity.key().getEncoded()).isEqualTo(server.key().getEncoded());
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void readsTheTraditionalRsaAndEcKeyForms(KeyType type) throws Exception {
        Issued server = authority.issue(type, "localhost");
        Path key = server.writeTraditionalKey(dir.resolve("key.pem"));
        assertThat(Files.readString(key)).startsWith("-----BEGIN " + type + " PRIVATE KEY-----");

        KeyMaterial.Identity identity = KeyMaterial.readPem(server.writeChain(dir.resolve("chain.pem")), key);

        assertThat(secret(identity.key())).isEqualTo(secret(server.key())); // the encodings differ, not the key
    }

    private static BigInteger secret(PrivateKey key) {
        return key instanceof ECPrivateKey ec ? ec.getS() : ((RSAPrivateKey) key).getPrivateExponent();
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() {
        Path chain = authority.issue(KeyType.EC, "localhost").writeChain(dir.resolve("chain.pem"));
        Path otherKey = authority.issue(KeyType.EC, "localhost").writePkcs8Key(dir.resolve("other-key.pem"));

        assertThatThrownBy(() -> KeyMaterial.readPem(chain, otherKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(otherKey.toString()).hasMessageContaining("does not belong to")
                .hasMessageContaining(chain.toString());
    }

    @Test
    void missingAndNonPemFilesAreNamed() throws Exception {
        Issued server = authority.issue(KeyType.EC, "localhost");
        Path chain = server.writeChain(dir.resolve("chain.pem"));
        Path key = server.writePkcs8Key(dir.resolve("key.pem"));
        Path missing = dir.resolve("missing.pem");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a certificate\n");

        assertThatThrownBy(() -> KeyMaterial.readPem(missing, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS certificate chain " + missing + " does not exist");
        assertThatThrownBy(() -> KeyMaterial.readPem(chain, missing))
                .hasMessage("TLS private key " + missing + " does not exist");
        assertThatThrownBy(() -> KeyMaterial.readPem(text, key))
                .hasMessage("TLS certificate chain " + text
                        + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        assertThatThrownBy(() -> KeyMaterial.readPem(key, key)) // the key given as the chain
                .hasMessageContaining("holds no PEM certificate");
        assertThatThrownBy(() -> KeyMaterial.readPem(chain, chain)) // the chain given as the key
                .hasMessage("TLS private key " + chain + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    @Test
    void anEncryptedKeyIsRefused() throws Exception {
        Issued server = authority.issue(KeyType.EC, "localhost");
        Path encrypted = dir.resolve("encrypted.pem");
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(encrypted))) {
            writer.writeObject(new JcaPKCS8Generator(server.key(),
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                            .setProvider(new BouncyCastleProvider()) // this builder only; nothing is registered
                            .setPassword("pw".toCharArray()).build()));
        }

        assertThatThrownBy(() -> KeyMaterial.readPem(server.writeChain(dir.resolve("chain.pem")), encrypted))
                .hasMessageContaining(encrypted + " is encrypted");
    }

    @Test
    void theDevelopmentCertificateNamesLoopbackAndIsFreshEachTime() throws Exception {
        KeyMaterial.Identity first = KeyMaterial.selfSigned();
        KeyMaterial.Identity second = KeyMaterial.selfSigned();

        X509Certificate certificate = first.certificate();
        certificate.checkValidity();
        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))))
                .containsExactly("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1"); // serverAuth
        assertThat(KeyMaterial.fingerprint(certificate)).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}")
                .isNotEqualTo(KeyMaterial.fingerprint(second.certificate()));
        assertThat(List.of(first.key().getAlgorithm())).containsExactly("EC");
    }
}
