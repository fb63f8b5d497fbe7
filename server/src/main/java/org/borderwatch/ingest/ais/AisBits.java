package org.borderwatch.ingest.ais;

/**
 * The bits of an AIS payload, unarmoured: each payload character carries six bits (character code minus 48, minus 8
 * more above 40), most significant first; the last character's {@code fillBits} low bits are padding. Fields are read
 * by bit offset and width as ITU-R M.1371 lays them out. A field reaching past the end reads as missing (null), so
 * a short message decodes what it has.
 */
public final class AisBits {

    private final boolean[] bits;

    public AisBits(String armoured, int fillBits) {
        int length = armoured.length() * 6 - fillBits;
        if (length < 0) {
            throw new IllegalArgumentException("more fill bits than payload");
        }
        bits = new boolean[length];
        for (int i = 0; i < armoured.length(); i++) {
            int value = armoured.charAt(i) - 48;
            if (value > 40) {
                value -= 8;
            }
            if (value < 0 || value > 63) {
                throw new IllegalArgumentException("payload character out of the six-bit alphabet");
            }
            for (int b = 0; b < 6; b++) {
                int at = i * 6 + b;
                if (at < length) {
                    bits[at] = (value & (32 >> b)) != 0;
                }
            }
        }
    }

    public int length() {
        return bits.length;
    }

    /** The unsigned field at {@code start} of {@code width} bits (at most 31), or null past the end. */
    public Integer unsigned(int start, int width) {
        if (start + width > bits.length) {
            return null;
        }
        int value = 0;
        for (int i = start; i < start + width; i++) {
            value = (value << 1) | (bits[i] ? 1 : 0);
        }
        return value;
    }

    /** The two's-complement field at {@code start} of {@code width} bits, or null past the end. */
    public Integer signed(int start, int width) {
        Integer value = unsigned(start, width);
        if (value == null) {
            return null;
        }
        return bits[start] ? value - (1 << width) : value;
    }

    /**
     * Six-bit text of {@code chars} characters at {@code start} (values 0-31 are {@code @A..Z[\]^_}, 32-63 are
     * {@code  !"..?}), without the trailing {@code @} padding and spaces; as much as there is when the message is cut
     * short, null when none of it is there.
     */
    public String text(int start, int chars) {
        StringBuilder out = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            Integer value = unsigned(start + i * 6, 6);
            if (value == null) {
                break;
            }
            out.append((char) (value < 32 ? value + 64 : value));
        }
        if (out.isEmpty() && start + 6 > bits.length) {
            return null;
        }
        int end = out.indexOf("@");
        String text = (end >= 0 ? out.substring(0, end) : out.toString()).strip();
        return text;
    }
}
