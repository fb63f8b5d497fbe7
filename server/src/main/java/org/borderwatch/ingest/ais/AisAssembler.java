package org.borderwatch.ingest.ais;

import org.borderwatch.ingest.BoundedMap;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/**
 * Joins the fragments of multi-sentence AIS messages (a type 5 takes two). Fragments of one message share their
 * sequential id, channel and count, and may arrive in any order; a message is whole when every fragment arrived.
 * Bounded: at most {@link #MAX_PENDING} messages wait, and a fragment left alone for {@link #MAX_WAIT} is forgotten.
 */
public final class AisAssembler {

    static final int MAX_PENDING = 256;
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** A whole message: its armoured payload and the fill bits of its last fragment. */
    public record Payload(String armoured, int fillBits) {
    }

    private static final class Pending {
        final String[] parts;
        final Instant started;
        int fillBits;
        int received;

        Pending(int total, Instant started) {
            this.parts = new String[total];
            this.started = started;
        }
    }

    private final Map<String, Pending> pending = new BoundedMap<>(MAX_PENDING, false);

    /** Takes one sentence received at {@code now}: the whole message once it is complete, else null. */
    public Payload add(NmeaSentence sentence, Instant now) {
        if (sentence.total() == 1) {
            return new Payload(sentence.payload(), sentence.fillBits());
        }
        expire(now);
        String key = sentence.channel() + '/' + sentence.sequence() + '/' + sentence.total();
        Pending message = pending.computeIfAbsent(key, k -> new Pending(sentence.total(), now));
        if (message.parts[sentence.number() - 1] == null) {
            message.received++;
        }
        message.parts[sentence.number() - 1] = sentence.payload();
        if (sentence.number() == sentence.total()) {
            message.fillBits = sentence.fillBits();
        }
        if (message.received < sentence.total()) {
            return null;
        }
        pending.remove(key);
        return new Payload(String.join("", message.parts), message.fillBits);
    }

    private void expire(Instant now) {
        Instant cutoff = now.minus(MAX_WAIT);
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            if (it.next().started.isBefore(cutoff)) {
                it.remove();
            } else {
                break; // insertion order: the rest are younger
            }
        }
    }

    int pending() {
        return pending.size();
    }
}
