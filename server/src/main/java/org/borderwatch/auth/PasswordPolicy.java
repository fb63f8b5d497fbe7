package org.borderwatch.auth;

import org.borderwatch.http.ApiException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must be (API.md §3): at least 12 characters, at most 72 bytes of UTF-8 (bcrypt reads no
 * further, so a longer one would be silently cut), no control characters, and not one of the 30,000 most common
 * passwords (compared without case). The list is {@code common-passwords.txt}, from zxcvbn 4.4.2 (MIT, see
 * {@code common-passwords.NOTICE}). It applies to {@code BW_ADMIN_PASSWORD} as well, when it creates user admin.
 */
public final class PasswordPolicy {

    static final int MIN_CHARACTERS = 12;
    static final int MAX_BYTES = 72;
    private static final String LIST = "common-passwords.txt";
    private static final Set<String> COMMON = load();

    private PasswordPolicy() {
    }

    /** The password when it may be set; a 400 naming {@code password} saying what is wrong otherwise. */
    public static String check(Object value) {
        String why = problem(value);
        if (why != null) {
            throw ApiException.badRequest(why, "password");
        }
        return (String) value;
    }

    /** What is wrong with {@code value} as a new password, or null when nothing is. */
    public static String problem(Object value) {
        if (!(value instanceof String password)) {
            return "password must be a string";
        }
        if (password.codePointCount(0, password.length()) < MIN_CHARACTERS) {
            return "password must have at least " + MIN_CHARACTERS + " characters";
        }
        if (tooLong(password)) {
            return "password must be at most " + MAX_BYTES + " bytes of UTF-8";
        }
        if (password.codePoints().anyMatch(Character::isISOControl)) {
            return "password must not contain control characters";
        }
        if (COMMON.contains(password.toLowerCase(Locale.ROOT))) {
            return "password is one of the most common passwords; choose another";
        }
        return null;
    }

    /** Longer than bcrypt reads: such a password can be neither set nor right. */
    static boolean tooLong(String password) {
        return password.length() > MAX_BYTES / 3 && password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }

    private static Set<String> load() {
        Set<String> common = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException(LIST + " is missing from the build");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    common.add(line.strip().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(common);
    }
}
