package org.borderwatch.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Content codings undone chunk by chunk, whatever the chunk boundaries; damage is a 400 naming the body. */
class BodyInflaterTest {

    private static final byte[] TEXT = "{\"unitId\":\"UAV-07\",\"lat\":31.7,\"lon\":-106.4}\n".repeat(50)
            .getBytes(StandardCharsets.UTF_8);

    /** Feeds {@code coded} in chunks of {@code chunk} bytes and returns what came out. */
    private static byte[] inflate(String encoding, byte[] coded, int chunk) {
        BodyInflater inflater = BodyInflater.forEncoding(encoding);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (int at = 0; at < coded.length; at += chunk) {
                inflater.write(Arrays.copyOfRange(coded, at, Math.min(coded.length, at + chunk)),
                        (bytes, length) -> out.write(bytes, 0, length));
            }
            inflater.finish();
        } finally {
            inflater.release();
        }
        return out.toByteArray();
    }

    private static void assertBadBody(String encoding, byte[] coded) {
        assertThatThrownBy(() -> inflate(encoding, coded, 7)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.toJson().getString("field")).isEqualTo("body");
        });
    }

    @ParameterizedTest(name = "chunks of {0}")
    @ValueSource(ints = {1, 3, 10, 64, 100_000})
    void gzipZlibAndRawDeflateComeOutWholeWhateverTheChunks(int chunk) throws IOException {
        assertThat(inflate("gzip", gzip(TEXT), chunk)).isEqualTo(TEXT);
        assertThat(inflate("deflate", deflate(TEXT, false, null), chunk)).isEqualTo(TEXT);
        assertThat(inflate("deflate", deflate(TEXT, true, null), chunk)).isEqualTo(TEXT);
    }

    @Test
    void gzipHeaderFieldsAndConcatenatedMembersAreRead() throws IOException {
        byte[] half = Arrays.copyOf(TEXT, TEXT.length / 2);
        byte[] rest = Arrays.copyOfRange(TEXT, TEXT.length / 2, TEXT.length);
        byte[] first = withHeaderFields(gzip(half));
        byte[] both = concat(first, gzip(rest));

        assertThat(inflate("x-gzip", both, 1)).isEqualTo(TEXT);
        assertThat(inflate("GZIP", both, 5)).isEqualTo(TEXT);
    }

    @Test
    void noHeaderOrIdentityMeansNoInflater() {
        assertThat(BodyInflater.forEncoding(null)).isNull();
        assertThat(BodyInflater.forEncoding("identity")).isNull();
        assertThat(BodyInflater.forEncoding(" Identity , ")).isNull();
    }

    @Test
    void unknownOrStackedCodingsAreUnsupported() {
        for (String encoding : new String[] {"br", "compress", "gzip, deflate", "gzip;q=1"}) {
            assertThatThrownBy(() -> BodyInflater.forEncoding(encoding))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(415);
                        assertThat(e.toJson().getString("field")).isEqualTo("body");
                    });
        }
    }

    @Test
    void damageIsABadBody() throws IOException {
        byte[] gzip = gzip(TEXT);
        byte[] crc = gzip.clone();
        crc[crc.length - 8] ^= 1;
        byte[] size = gzip.clone();
        size[size.length - 1] ^= 1;
        byte[] reserved = gzip.clone();
        reserved[3] = (byte) 0x80;

        assertBadBody("gzip", crc);
        assertBadBody("gzip", size);
        assertBadBody("gzip", reserved);
        assertBadBody("gzip", Arrays.copyOf(gzip, gzip.length - 3));
        assertBadBody("gzip", Arrays.copyOf(gzip, 6));
        assertBadBody("gzip", concat(gzip, "trailing".getBytes(StandardCharsets.UTF_8)));
        assertBadBody("gzip", TEXT);
        byte[] zlib = deflate(TEXT, false, null);
        assertBadBody("deflate", concat(zlib, new byte[] {1, 2, 3}));
        assertBadBody("deflate", Arrays.copyOf(zlib, zlib.length - 2));
        assertBadBody("deflate", deflate(TEXT, false, "a preset dictionary".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anEmptyCodedBodyIsAnEmptyBody() {
        assertThat(inflate("gzip", new byte[0], 1)).isEmpty();
    }

    @Test
    void outputStopsWhenTheSinkSaysSoHoweverMuchTheInputHolds() throws IOException {
        byte[] bomb = gzip(new byte[64 << 20]);
        BodyInflater inflater = BodyInflater.forEncoding("gzip");
        long[] seen = {0};
        try {
            assertThatThrownBy(() -> inflater.write(bomb, (bytes, length) -> {
                seen[0] += length;
                if (seen[0] > 1 << 20) {
                    throw new ApiException(413, "too large", "body", null);
                }
            })).isInstanceOf(ApiException.class);
        } finally {
            inflater.release();
        }
        assertThat(seen[0]).isLessThanOrEqualTo((1 << 20) + 64 * 1024);
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] plain, boolean raw, byte[] dictionary) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        if (dictionary != null) {
            deflater.setDictionary(dictionary);
        }
        deflater.setInput(plain);
        deflater.finish();
        byte[] buffer = new byte[plain.length + 1024];
        int length = deflater.deflate(buffer);
        deflater.end();
        return Arrays.copyOf(buffer, length);
    }

    /** The same member with FEXTRA, FNAME, FCOMMENT and FHCRC set, as some clients write them. */
    private static byte[] withHeaderFields(byte[] member) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(member, 0, 3);
        header.write(0x02 | 0x04 | 0x08 | 0x10);
        header.write(member, 4, 6);
        header.write(5);
        header.write(0);
        header.writeBytes(new byte[] {'A', 'B', 2, 0, 9});
        header.writeBytes("fixes.json\0".getBytes(StandardCharsets.ISO_8859_1));
        header.writeBytes("uploaded by a test\0".getBytes(StandardCharsets.ISO_8859_1));
        CRC32 crc = new CRC32();
        crc.update(header.toByteArray());
        header.write((int) crc.getValue() & 0xFF);
        header.write((int) (crc.getValue() >> 8) & 0xFF);
        header.write(member, 10, member.length - 10);
        return header.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
