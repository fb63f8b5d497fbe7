package org.borderwatch.ingest.cot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** CoT events in the shapes ATAK, iTAK and adsbcot send (test resources under cot/), dated as a test needs. */
public final class CotSamples {

    private CotSamples() {
    }

    /** The sample {@code name} with its TIME and STALE placeholders set to {@code time} and a minute later. */
    public static String sample(String name, Instant time) {
        try (InputStream in = CotSamples.class.getResourceAsStream("/cot/" + name + ".xml")) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("TIME", time.toString()).replace("STALE", time.plusSeconds(60).toString()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample with its uid replaced, e.g. by a device key for the uid-is-the-key convention. */
    public static String withUid(String xml, String uid) {
        return xml.replaceFirst("uid=(['\"])[^'\"]*\\1", "uid='" + uid + "'");
    }
}
