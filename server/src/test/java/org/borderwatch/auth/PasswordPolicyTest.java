package org.borderwatch.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The password rules of API.md §3, without a server. */
class PasswordPolicyTest {

    @Test
    void lengthIsCountedInCharactersAndCappedInBytes() {
        assertThat(PasswordPolicy.problem("eleven-char")).contains("at least 12 characters");
        assertThat(PasswordPolicy.problem("twelve-chars")).isNull();
        assertThat(PasswordPolicy.problem("🛰".repeat(12))).as("12 characters, 48 bytes").isNull();
        assertThat(PasswordPolicy.problem("🛰".repeat(19))).as("76 bytes").contains("72 bytes");
        assertThat(PasswordPolicy.problem("z".repeat(72))).isNull();
        assertThat(PasswordPolicy.problem("z".repeat(73))).contains("72 bytes");
    }

    @Test
    void commonPasswordsAndControlCharactersAreRefused() {
        assertThat(PasswordPolicy.problem("qwerty123456")).contains("common");
        assertThat(PasswordPolicy.problem("QwErTy123456")).contains("common");
        assertThat(PasswordPolicy.problem("correct-horse-battery")).isNull();
        assertThat(PasswordPolicy.problem("line\nbreak-password")).contains("control");
        assertThat(PasswordPolicy.problem(null)).contains("string");
        assertThat(PasswordPolicy.problem(123456789012L)).contains("string");
    }
}
