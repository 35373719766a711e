package dev.switchboard.im.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * A salted password hash, stored verbatim: hashing and verification happen outside the store. The arrays are copied
 * on the way in and on the way out, so an instance never changes; {@code equals} compares contents and
 * {@code toString} never prints the bytes.
 *
 * @param salt the salt, not empty
 * @param hash the derived hash, not empty
 * @param iterations the work factor used to derive {@code hash}, at least 1
 */
public record PasswordHash(byte[] salt, byte[] hash, int iterations) {

    public PasswordHash {
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(hash, "hash");
        if (salt.length == 0 || hash.length == 0) {
            throw new IllegalArgumentException("salt and hash must not be empty: salt " + salt.length
                    + " bytes, hash " + hash.length + " bytes");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1: " + iterations);
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    /** A copy of the salt. */
    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** A copy of the hash. */
    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash other
                && iterations == other.iterations
                && Arrays.equals(salt, other.salt)
                && Arrays.equals(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(salt) + Arrays.hashCode(hash)) + iterations;
    }

    @Override
    public String toString() {
        // Never print the bytes: toString ends up in logs.
        return "PasswordHash[salt=" + salt.length + " bytes, hash=" + hash.length + " bytes, iterations="
                + iterations + "]";
    }
}
