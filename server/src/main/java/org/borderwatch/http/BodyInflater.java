package org.borderwatch.http;

import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Undoes a request body's {@code Content-Encoding} (gzip or deflate) chunk by chunk as it arrives. Output goes to a
 * {@link Sink} one small window at a time, so the sink's size limit stops a compression bomb after at most one window
 * more than the limit, whatever the compressed bytes claim.
 */
final class BodyInflater {

    /** Receives inflated bytes; {@code bytes} is reused after the call returns. May throw to stop inflating. */
    interface Sink {
        void accept(byte[] bytes, int length);
    }

    private static final int WINDOW = 64 * 1024;
    /** Gzip's optional name and comment fields are unbounded; no real client sends more than a file name. */
    private static final int MAX_GZIP_HEADER = 64 * 1024;
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int RESERVED_FLAGS = 0xE0;

    private enum Stage { GZIP_HEADER, ZLIB_SNIFF, DATA, GZIP_TRAILER, DONE }

    private enum HeaderPart { FIXED, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC }

    private final boolean gzip;
    private final String name;
    private final byte[] window = new byte[WINDOW];
    private final CRC32 crc = new CRC32();
    private Inflater inflater;
    private Stage stage;
    private boolean sawData;
    private long memberSize;

    // Gzip header and trailer, read a byte at a time because a chunk may end anywhere in them.
    private HeaderPart headerPart;
    private int headerRead;
    private int partRemaining;
    private int flags;
    private final byte[] small = new byte[10];
    private int smallLength;

    private BodyInflater(boolean gzip) {
        this.gzip = gzip;
        this.name = gzip ? "gzip" : "deflate";
        this.stage = gzip ? Stage.GZIP_HEADER : Stage.ZLIB_SNIFF;
        startMember();
    }

    /**
     * The inflater for a {@code Content-Encoding} header value, or null when the body is not encoded
     * ({@code identity} or no header). Anything else is a 415 naming the body.
     */
    static BodyInflater forEncoding(String header) {
        String coding = null;
        if (header != null) {
            for (String part : header.split(",")) {
                String token = part.trim().toLowerCase(Locale.ROOT);
                if (token.isEmpty() || token.equals("identity")) {
                    continue;
                }
                if (coding != null) {
                    throw unsupported();
                }
                coding = token;
            }
        }
        if (coding == null) {
            return null;
        }
        return switch (coding) {
            case "gzip", "x-gzip" -> new BodyInflater(true);
            case "deflate" -> new BodyInflater(false);
            default -> throw unsupported();
        };
    }

    private static ApiException unsupported() {
        return new ApiException(415, "Content-Encoding must be gzip, deflate or identity", "body", null);
    }

    /** Inflates {@code chunk} into {@code sink}; a 400 naming the body when the bytes are not what the coding says. */
    void write(byte[] chunk, Sink sink) {
        int at = 0;
        while (at < chunk.length) {
            sawData = true;
            at = switch (stage) {
                case GZIP_HEADER -> readGzipHeader(chunk, at);
                case ZLIB_SNIFF -> sniffZlib(chunk, at, sink);
                case DATA -> inflate(chunk, at, chunk.length - at, sink);
                case GZIP_TRAILER -> readGzipTrailer(chunk, at);
                case DONE -> {
                    if (!gzip) {
                        throw corrupt("data after the end of the deflate stream");
                    }
                    // Concatenated gzip members are one valid gzip body.
                    startMember();
                    stage = Stage.GZIP_HEADER;
                    yield at;
                }
            };
        }
    }

    /** Called at the end of the body: a stream that stopped before its end is a 400. */
    void finish() {
        if (sawData && stage != Stage.DONE) {
            throw corrupt("the " + name + " body ends before its compressed stream does");
        }
    }

    /** Frees the native zlib memory at once rather than when the collector gets to it. */
    void release() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    private void startMember() {
        headerPart = HeaderPart.FIXED;
        headerRead = 0;
        partRemaining = 10;
        smallLength = 0;
        memberSize = 0;
        crc.reset();
        if (inflater != null) {
            inflater.reset();
        }
    }

    private Inflater inflater(boolean nowrap) {
        if (inflater == null) {
            inflater = new Inflater(nowrap);
        }
        return inflater;
    }

    private int readGzipHeader(byte[] chunk, int at) {
        while (at < chunk.length && stage == Stage.GZIP_HEADER) {
            int b = chunk[at++] & 0xFF;
            if (++headerRead > MAX_GZIP_HEADER) {
                throw corrupt("gzip header is too long");
            }
            switch (headerPart) {
                case FIXED -> {
                    small[smallLength++] = (byte) b;
                    if (smallLength == 10) {
                        if ((small[0] & 0xFF) != 0x1F || (small[1] & 0xFF) != 0x8B || small[2] != 8) {
                            throw corrupt("body is not gzip");
                        }
                        flags = small[3] & 0xFF;
                        if ((flags & RESERVED_FLAGS) != 0) {
                            throw corrupt("gzip header has reserved flags set");
                        }
                        smallLength = 0;
                        nextHeaderPart(HeaderPart.FIXED);
                    }
                }
                case EXTRA_LENGTH -> {
                    small[smallLength++] = (byte) b;
                    if (smallLength == 2) {
                        partRemaining = (small[0] & 0xFF) | (small[1] & 0xFF) << 8;
                        smallLength = 0;
                        if (partRemaining == 0) {
                            nextHeaderPart(HeaderPart.EXTRA);
                        } else {
                            headerPart = HeaderPart.EXTRA;
                        }
                    }
                }
                case EXTRA -> {
                    if (--partRemaining == 0) {
                        nextHeaderPart(HeaderPart.EXTRA);
                    }
                }
                case NAME, COMMENT -> {
                    if (b == 0) {
                        nextHeaderPart(headerPart);
                    }
                }
                case HEADER_CRC -> {
                    // Checked by nobody in practice (gzip(1) itself ignores it); the body's CRC-32 is checked.
                    if (--partRemaining == 0) {
                        nextHeaderPart(HeaderPart.HEADER_CRC);
                    }
                }
            }
        }
        return at;
    }

    /** Moves past {@code done} to the next part the header's flags announce, or on to the compressed data. */
    private void nextHeaderPart(HeaderPart done) {
        HeaderPart[] order = HeaderPart.values();
        for (int i = done.ordinal() + 1; i < order.length; i++) {
            HeaderPart part = order[i];
            boolean present = switch (part) {
                case EXTRA_LENGTH -> (flags & FEXTRA) != 0;
                case NAME -> (flags & FNAME) != 0;
                case COMMENT -> (flags & FCOMMENT) != 0;
                case HEADER_CRC -> (flags & FHCRC) != 0;
                default -> false;
            };
            if (present) {
                headerPart = part;
                partRemaining = part == HeaderPart.HEADER_CRC ? 2 : 0;
                return;
            }
        }
        inflater(true);
        stage = Stage.DATA;
    }

    /** RFC 9110's deflate is zlib-wrapped, but some clients send raw deflate: the first two bytes tell which. */
    private int sniffZlib(byte[] chunk, int at, Sink sink) {
        small[smallLength++] = chunk[at++];
        if (smallLength < 2) {
            return at;
        }
        int cmf = small[0] & 0xFF;
        int flg = small[1] & 0xFF;
        boolean zlib = (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
        inflater(!zlib);
        stage = Stage.DATA;
        byte[] head = {small[0], small[1]};
        smallLength = 0;
        int used = inflate(head, 0, 2, sink);
        if (used < 2) {
            throw corrupt("data after the end of the deflate stream");
        }
        return at;
    }

    /** Feeds {@code length} bytes from {@code offset}; returns the index just past the bytes the stream used. */
    private int inflate(byte[] input, int offset, int length, Sink sink) {
        Inflater zlib = inflater;
        zlib.setInput(input, offset, length);
        try {
            while (true) {
                int n = zlib.inflate(window);
                if (n > 0) {
                    crc.update(window, 0, n);
                    memberSize += n;
                    sink.accept(window, n);
                }
                if (zlib.finished()) {
                    stage = gzip ? Stage.GZIP_TRAILER : Stage.DONE;
                    smallLength = 0;
                    return offset + length - zlib.getRemaining();
                }
                if (zlib.needsDictionary()) {
                    throw corrupt("deflate body needs a preset dictionary");
                }
                if (n == 0 && zlib.needsInput()) {
                    return offset + length;
                }
            }
        } catch (DataFormatException e) {
            throw corrupt("the " + name + " body is corrupt");
        }
    }

    private int readGzipTrailer(byte[] chunk, int at) {
        while (at < chunk.length && smallLength < 8) {
            small[smallLength++] = chunk[at++];
        }
        if (smallLength == 8) {
            long expectedCrc = littleEndian(0);
            long expectedSize = littleEndian(4);
            if (expectedCrc != crc.getValue() || expectedSize != (memberSize & 0xFFFF_FFFFL)) {
                throw corrupt("the gzip body fails its checksum");
            }
            stage = Stage.DONE;
        }
        return at;
    }

    private long littleEndian(int from) {
        return (small[from] & 0xFFL) | (small[from + 1] & 0xFFL) << 8 | (small[from + 2] & 0xFFL) << 16
                | (small[from + 3] & 0xFFL) << 24;
    }

    private static ApiException corrupt(String why) {
        return ApiException.badRequest(why, "body");
    }
}
