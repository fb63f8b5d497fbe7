package org.borderwatch.history;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Numbers as the exporters and the replay write them: plain decimals that read back as the same double. */
class TextTest {

    /** The shortest digits as Schubfach finds them, plain: what the integer path must reproduce. */
    private static String slow(double value) {
        String text = com.fasterxml.jackson.core.io.NumberOutput.toString(value, true);
        return new BigDecimal(text).stripTrailingZeros().toPlainString();
    }

    @Test
    void writesPlainDecimalsThatReadBackExactly() {
        assertThat(Text.plain(1201)).isEqualTo("1201");
        assertThat(Text.plain(31.7)).isEqualTo("31.7");
        assertThat(Text.plain(-106.48528)).isEqualTo("-106.48528");
        assertThat(Text.plain(8.883953359244863)).isEqualTo("8.883953359244863");
        assertThat(Text.plain(1e-5)).isEqualTo("0.00001");
        assertThat(Text.plain(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(Text.plain(12_345_678.5)).isEqualTo("12345678.5");
        assertThat(Text.plain(0)).isEqualTo("0");
        assertThat(Text.plain(-0.0000005)).isEqualTo("-0.0000005");
        assertThat(Text.plain(31.0000001)).isEqualTo("31.0000001");
        assertThat(Text.plain(99_999_999.9999999)).isEqualTo(slow(99_999_999.9999999));
        Random random = new Random(11);
        for (int i = 0; i < 50_000; i++) {
            double value = switch (i % 6) {
                case 0 -> random.nextDouble(-180, 180);
                case 1 -> Math.round(random.nextDouble(-90, 90) * 1e6) / 1e6;
                case 4 -> Double.parseDouble(BigDecimal.valueOf(random.nextLong(-1_000_000_000_000_000L,
                        1_000_000_000_000_000L), random.nextInt(0, 9)).toPlainString());
                case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(-9, 12));
                case 5 -> Math.round(random.nextDouble(-1e8, 1e8) * 1e7) / 1e7;
                default -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL);
            };
            String text = Text.plain(value);
            assertThat(text).as("the digits of the shortest writer").isEqualTo(slow(value));
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(value);
            assertThat(text).as("plain, and no longer than the shortest").doesNotContain("E").doesNotEndWith(".0")
                    .matches("-?\\d+(\\.\\d+)?");
            // Shortest: one digit fewer would not read back (the digits are those of the shortest representation).
            BigDecimal decimal = new BigDecimal(text);
            if (decimal.precision() > 1 && decimal.scale() > 0) {
                BigDecimal shorter = decimal.setScale(decimal.scale() - 1, java.math.RoundingMode.HALF_EVEN);
                assertThat(shorter.doubleValue()).as("%s has a digit too many", text).isNotEqualTo(value);
            }
        }
    }
}
