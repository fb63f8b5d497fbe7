package org.borderwatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-read wire time gives exactly what java.time gives, or leaves the string to it. */
class WireTimeTest {

    private static Instant javaTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** What java.time refuses the hand reader refuses; what it reads, the same instant. True when it read it. */
    private static boolean agrees(String text) {
        Instant hand = WireTime.parse(text);
        Instant java = javaTime(text);
        if (java == null) {
            assertThat(hand).as(text + ": java.time refuses it").isNull();
        } else if (hand != null) {
            assertThat(hand).as(text).isEqualTo(java);
        }
        return hand != null;
    }

    @Test
    void readsWhatDevicesSendAsJavaTimeDoes() {
        assertThat(WireTime.parse("2026-11-25T10:00:00.123Z")).isEqualTo(Instant.parse("2026-11-25T10:00:00.123Z"));
        assertThat(WireTime.parse("2026-11-25T11:00:00+01:00")).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(WireTime.parse("2024-02-29T23:59:59.123456789-06:30"))
                .isEqualTo(Instant.parse("2024-03-01T06:29:59.123456Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T10:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T10:60:00Z",
            "2026-11-25T10:00:60Z", "2026-13-01T10:00:00Z", "2026-11-25T10:00:00", "2026-11-25T10:00:00.Z",
            "2026-11-25T10:00:00.1234567891Z", "2026-11-25T10:00:00+19:00", "2026-11-25T10:00:00+01:00:30",
            "2026-11-25 10:00:00Z", "+12026-11-25T10:00:00Z", "2026-11-25T10:00Z", "2026-11-25T1a:00:00Z",
            "2026-11-25T10:00:00ZZ", "2026-11-25T10:00:00+0100"})
    void leavesEverythingElseToJavaTime(String text) {
        agrees(text);
    }

    private static StringBuilder pad(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        text.append("0".repeat(width - digits.length())).append(digits);
        return text;
    }

    @Test
    void agreesWithJavaTimeOnRandomTimesAndMangledOnes() {
        Random random = new Random(11);
        String digits = "0123456789";
        int read = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder(32);
            pad(text, random.nextInt(10_000), 4).append('-');
            pad(text, random.nextInt(14), 2).append('-');
            pad(text, random.nextInt(33), 2).append('T');
            pad(text, random.nextInt(26), 2).append(':');
            pad(text, random.nextInt(62), 2).append(':');
            pad(text, random.nextInt(62), 2);
            int fraction = random.nextInt(12);
            if (fraction > 0) {
                text.append('.');
                for (int k = 1; k < fraction; k++) {
                    text.append(digits.charAt(random.nextInt(10)));
                }
            }
            switch (random.nextInt(4)) {
                case 0 -> text.append('Z');
                case 1 -> pad(pad(text.append(random.nextBoolean() ? '+' : '-'), random.nextInt(20), 2)
                        .append(':'), random.nextInt(61), 2);
                case 2 -> text.append("z");
                default -> { }
            }
            if (random.nextInt(10) == 0) {
                text.setCharAt(random.nextInt(text.length()), "0:-T.Z+x".charAt(random.nextInt(8)));
            }
            if (agrees(text.toString())) {
                read++;
            }
        }
        assertThat(read).as("strings the hand reader took itself").isGreaterThan(5_000);
    }
}
