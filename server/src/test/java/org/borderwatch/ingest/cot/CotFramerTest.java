package org.borderwatch.ingest.cot;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CotFramerTest {

    private static final String AUTH = "<auth><cot username='U' password='bwk_x'/></auth>";
    private static final String EVENT = "<event uid='é-1' type='a-f-G'><point lat='1' lon='2'/><detail>"
            + "<remarks>Zoë</remarks></detail></event>";

    @Test
    void splitsAStreamWhereverItIsCutEvenInsideACharacter() {
        byte[] stream = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n" + AUTH + "\n"
                + "<?xml version='1.0'?><!-- keep-alive -->" + EVENT + "\r\n<event uid='p' type='t-x-c-t'/>")
                .getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < stream.length; cut++) {
            CotFramer framer = new CotFramer();
            List<String> messages = new ArrayList<>(framer.feed(Buffer.buffer(slice(stream, 0, cut))));
            messages.addAll(framer.feed(Buffer.buffer(slice(stream, cut, stream.length))));

            assertThat(messages).as("cut at %d", cut).containsExactly(AUTH, EVENT, "<event uid='p' type='t-x-c-t'/>");
        }
    }

    @Test
    void refusesWhatCannotBeCot() {
        assertThatThrownBy(() -> new CotFramer().feed(Buffer.buffer(new byte[] {(byte) 0xbf, 1, 0})))
                .hasMessageContaining("0xbf");
        assertThatThrownBy(() -> new CotFramer().feed(Buffer.buffer("GET / HTTP/1.1\r\n")))
                .hasMessageContaining("not CoT XML");
        CotFramer endless = new CotFramer();
        endless.feed(Buffer.buffer("<event uid='x'>"));
        assertThatThrownBy(() -> endless.feed(Buffer.buffer("a".repeat(CotFramer.MAX_MESSAGE_BYTES))))
                .hasMessageContaining("without the end");
    }

    @Test
    void aMessageOrDeclarationOverTheLimitIsRefusedEvenWhenItArrivesWhole() {
        String giant = "<event uid='x' remarks='" + "g".repeat(CotFramer.MAX_MESSAGE_BYTES) + "'/>";
        assertThatThrownBy(() -> new CotFramer().feed(Buffer.buffer(giant))).hasMessageContaining("more than");
        CotFramer twoReads = new CotFramer();
        twoReads.feed(Buffer.buffer(giant.substring(0, CotFramer.MAX_MESSAGE_BYTES)));
        assertThatThrownBy(() -> twoReads.feed(Buffer.buffer(giant.substring(CotFramer.MAX_MESSAGE_BYTES))))
                .hasMessageContaining("more than");
        String comment = "<!-- " + "c".repeat(CotFramer.MAX_MESSAGE_BYTES) + " -->" + EVENT;
        assertThatThrownBy(() -> new CotFramer().feed(Buffer.buffer(comment))).hasMessageContaining("prolog");

        String largest = "<event uid='x' remarks='" + "g".repeat(CotFramer.MAX_MESSAGE_BYTES - 27) + "'/>";
        assertThat(largest).hasSize(CotFramer.MAX_MESSAGE_BYTES);
        assertThat(new CotFramer().feed(Buffer.buffer(largest))).containsExactly(largest);
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        byte[] part = new byte[to - from];
        System.arraycopy(bytes, from, part, 0, part.length);
        return part;
    }
}
