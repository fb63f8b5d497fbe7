package org.borderwatch.ingest.cot;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a TCP stream into CoT messages: one root element after another ({@code <event>…</event>},
 * {@code <auth>…</auth>}, or a self-closing one), with XML declarations, comments and whitespace between them. Works
 * on bytes, so a character split across two reads stays whole. A message longer than {@link #MAX_MESSAGE_BYTES}, or
 * bytes that cannot start one, are a protocol error.
 */
final class CotFramer {

    /** TAK clients send events of a few hundred bytes to a few kilobytes; anything near this is not CoT. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private Buffer pending = Buffer.buffer();
    private int scanned;

    /** Appends {@code data} and returns the complete messages in it; throws when the stream cannot be CoT. */
    List<String> feed(Buffer data) {
        pending.appendBuffer(data);
        List<String> messages = new ArrayList<>();
        while (true) {
            int start = skipProlog();
            if (start < 0) {
                break;
            }
            int end = end(start);
            if (end < 0) {
                if (pending.length() - start > MAX_MESSAGE_BYTES) {
                    throw new IllegalArgumentException("more than " + MAX_MESSAGE_BYTES
                            + " bytes without the end of a message");
                }
                break;
            }
            if (end - start > MAX_MESSAGE_BYTES) {
                // Whole already (it came in few reads), but the bound is on the message, not on the reads.
                throw new IllegalArgumentException("a message of " + (end - start) + " bytes, more than "
                        + MAX_MESSAGE_BYTES);
            }
            messages.add(pending.getString(start, end, StandardCharsets.UTF_8.name()));
            pending = pending.getBuffer(end, pending.length());
            scanned = 0;
        }
        return messages;
    }

    /** Drops whitespace, declarations and comments before the next root element; its offset, or -1 for more. */
    private int skipProlog() {
        int i = 0;
        while (i < pending.length()) {
            byte b = pending.getByte(i);
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0) {
                i++;
                continue;
            }
            if (b != '<') {
                throw new IllegalArgumentException("not CoT XML: byte 0x" + Integer.toHexString(b & 0xff)
                        + " where an element should start");
            }
            if (i + 1 >= pending.length()) {
                break;
            }
            byte next = pending.getByte(i + 1);
            if (next == '?' || next == '!') {
                int start = i;
                int close = indexOf(next == '?' ? "?>" : ">", i + 2);
                if (close < 0) {
                    break;
                }
                i = close + (next == '?' ? 2 : 1);
                if (i - start > MAX_MESSAGE_BYTES) {
                    throw new IllegalArgumentException("more than " + MAX_MESSAGE_BYTES + " bytes of XML prolog");
                }
                continue;
            }
            if (i > 0) {
                pending = pending.getBuffer(i, pending.length());
                scanned = 0;
            }
            return 0;
        }
        if (i > 0) {
            pending = pending.getBuffer(i, pending.length());
            scanned = 0;
        }
        if (pending.length() > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("more than " + MAX_MESSAGE_BYTES + " bytes of XML prolog");
        }
        return -1;
    }

    /** The end (exclusive) of the root element starting at {@code start}, or -1 when it has not all arrived. */
    private int end(int start) {
        int nameEnd = start + 1;
        while (nameEnd < pending.length() && isNameByte(pending.getByte(nameEnd))) {
            nameEnd++;
        }
        if (nameEnd >= pending.length()) {
            return -1;
        }
        if (nameEnd == start + 1) {
            throw new IllegalArgumentException("not CoT XML: '<' without an element name");
        }
        String name = pending.getString(start + 1, nameEnd, StandardCharsets.US_ASCII.name());
        int tagEnd = indexOf(">", nameEnd);
        if (tagEnd < 0) {
            return -1;
        }
        if (pending.getByte(tagEnd - 1) == '/') {
            return tagEnd + 1;
        }
        String close = "</" + name + ">";
        int from = Math.max(tagEnd + 1, scanned - close.length());
        int found = indexOf(close, from);
        if (found < 0) {
            scanned = pending.length();
            return -1;
        }
        return found + close.length();
    }

    private static boolean isNameByte(byte b) {
        return Character.isLetterOrDigit(b) || b == '_' || b == '-' || b == ':' || b == '.';
    }

    private int indexOf(String ascii, int from) {
        int last = pending.length() - ascii.length();
        outer:
        for (int i = Math.max(from, 0); i <= last; i++) {
            for (int j = 0; j < ascii.length(); j++) {
                if (pending.getByte(i + j) != ascii.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
