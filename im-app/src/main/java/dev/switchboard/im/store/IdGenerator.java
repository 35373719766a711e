package dev.switchboard.im.store;

import java.security.SecureRandom;

/**
 * Random ids of {@value #LENGTH} base-62 characters (about 59 bits). Random rather than sequential so that group ids
 * cannot be guessed; callers check candidates against every id ever issued, so an id is never reused. Not
 * thread-safe: each caller uses it under its own lock or thread. For the store implementations.
 */
public final class IdGenerator {

    public static final int LENGTH = 10;

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final SecureRandom random = new SecureRandom();

    /** A new random id (the caller checks it was never issued). */
    public String next() {
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
