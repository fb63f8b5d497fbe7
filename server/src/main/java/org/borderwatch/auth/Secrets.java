package org.borderwatch.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Passwords are bcrypt (slow on purpose, checked off the event loop). Device keys are 256 random bits, so a plain
 * SHA-256 is what protects them at rest — the practice for API tokens — and checking one costs a microsecond
 * instead of bcrypt's tens of milliseconds on every position a device posts.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BCRYPT_COST = 10;
    /** Device keys start with this, so a key is told from a password or a login token at a glance. */
    public static final String DEVICE_KEY_PREFIX = "bwk_";

    private Secrets() {
    }

    public static String hashPassword(String password) {
        return BCrypt.withDefaults().hashToString(BCRYPT_COST, password.toCharArray());
    }

    public static boolean checkPassword(String password, String hash) {
        return BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
    }

    /** A new device key: URL-safe, no dots, so it is never mistaken for a login token. */
    public static String newDeviceKey() {
        return DEVICE_KEY_PREFIX + randomToken(32);
    }

    public static String randomToken(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    public static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
