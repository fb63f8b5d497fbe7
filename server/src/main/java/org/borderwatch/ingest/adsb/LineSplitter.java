package org.borderwatch.ingest.adsb;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into text lines ending in {@code \n} (a {@code \r} before it is dropped), with a bound: a line
 * longer than {@code maxLine} bytes is not kept but skipped to its end and reported once as {@code null}, so a feed
 * that never sends a line end cannot grow memory.
 */
public final class LineSplitter {

    private final int maxLine;
    private final Consumer<String> lines;
    private final byte[] line;
    private int length;
    private boolean skipping;

    public LineSplitter(int maxLine, Consumer<String> lines) {
        this.maxLine = maxLine;
        this.lines = lines;
        this.line = new byte[maxLine];
    }

    public void feed(Buffer chunk) {
        for (int i = 0; i < chunk.length(); i++) {
            byte b = chunk.getByte(i);
            if (b == '\n') {
                if (skipping) {
                    skipping = false;
                } else {
                    int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                    lines.accept(new String(line, 0, end, StandardCharsets.ISO_8859_1));
                }
                length = 0;
            } else if (!skipping) {
                if (length == maxLine) {
                    skipping = true;
                    length = 0;
                    lines.accept(null);
                } else {
                    line[length++] = b;
                }
            }
        }
    }
}
