package org.borderwatch.ingest.ais;

import java.time.Instant;

/**
 * AIS NMEA sentences in, messages out: each sentence is checked (checksum, shape), fragments are joined into their
 * message, and whole messages decoded. Holds the fragments waiting for the rest of their message, so one decoder
 * serves one feed, on one thread.
 */
public final class AisDecoder {

    private final AisAssembler assembler = new AisAssembler();

    /**
     * Takes one sentence received at {@code now}. Returns the message it completes, or null: a fragment waiting for
     * the rest, or a whole message of a type not decoded. A bad sentence is an {@link IllegalArgumentException}
     * saying what is wrong.
     */
    public AisMessage accept(String sentence, Instant now) {
        AisAssembler.Payload payload = assembler.add(NmeaSentence.parse(sentence), now);
        return payload == null ? null : AisMessage.decode(new AisBits(payload.armoured(), payload.fillBits()));
    }
}
