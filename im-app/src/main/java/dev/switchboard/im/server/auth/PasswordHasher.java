package dev.switchboard.im.server.auth;

import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.store.PasswordHash;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256. Deliberately slow (hundreds of milliseconds at the default iterations): call it only
 * from blocking handlers, which run on the bounded business executor, never on an event loop.
 */
@Singleton
public final class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final SecureRandom random = new SecureRandom();
    private final int iterations;

    @Inject
    public PasswordHasher(ImServerSettings settings) {
        this.iterations = settings.passwordIterations();
    }

    /** A new salted hash of the password. */
    public PasswordHash hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(salt, derive(password, salt, iterations), iterations);
    }

    /** Whether a stored hash is weaker than new hashes are: it is replaced at the next successful login. */
    public boolean needsUpgrade(PasswordHash stored) {
        return stored.iterations() < iterations;
    }

    /** Whether the password matches, in time independent of where it differs. */
    public boolean matches(String password, PasswordHash stored) {
        byte[] candidate = derive(password, stored.salt(), stored.iterations());
        return MessageDigest.isEqual(candidate, stored.hash());
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }
}
