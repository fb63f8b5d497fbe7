package org.borderwatch.ingest.adsb;

import io.vertx.core.buffer.Buffer;
import org.borderwatch.contact.Contact;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * SBS-1 lines as dump1090 and readsb write them on port 30003: the examples of the BaseStation socket data
 * description ("barebones42") and lines captured from dump1090-fa receivers, as other projects' test suites quote
 * them, then combined per aircraft.
 */
class SbsMessageTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void theBaseStationDescriptionsExamples() {
        SbsMessage ident = SbsMessage.parse(
                "MSG,1,145,256,7404F2,11267,2008/11/28,23:48:18.611,2008/11/28,23:53:19.161,RJA1118,,,,,,,,,,,");
        assertThat(ident.type()).isEqualTo(1);
        assertThat(ident.icao()).isEqualTo("7404F2");
        assertThat(ident.callsign()).isEqualTo("RJA1118");
        assertThat(ident.hasPosition()).isFalse();

        SbsMessage position = SbsMessage.parse("MSG,3,1,1,738065,1,2008/11/28,23:48:18.611,2008/11/28,23:53:19.161,"
                + ",36000,,,51.45735,1.02826,,,0,0,0,0");
        assertThat(position.altitude()).isEqualTo(36000);
        assertThat(position.lat()).isEqualTo(51.45735);
        assertThat(position.lon()).isEqualTo(1.02826);
        assertThat(position.onGround()).isFalse();

        SbsMessage velocity = SbsMessage.parse(
                "MSG,4,1,1,738065,1,2008/11/28,23:48:18.611,2008/11/28,23:53:19.161,,,420,179,,,0,0,0,0");
        assertThat(velocity.groundSpeed()).isEqualTo(420.0);
        assertThat(velocity.track()).isEqualTo(179.0);

        assertThat(SbsMessage.parse("AIR,,496,5906,400F01,27931,2010/02/19,18:06:07.128,2010/02/19,18:06:07.128"))
                .as("other record types carry no track").isNull();
        assertThat(SbsMessage.parse("CLK,,496,-1,,-1,2010/02/19,18:18:19.036,2010/02/19,18:18:19.036")).isNull();
    }

    @Test
    void capturedDump1090LinesCombinePerAircraft() {
        AircraftTracks tracks = new AircraftTracks("root", "adsb-feed");
        // One aircraft's identification, velocity and position, as dump1090-fa wrote them in September 2026.
        assertThat(tracks.apply(SbsMessage.parse("MSG,1,1,1,A22123,1,2026/09/14,16:05:25.403,2026/09/14,"
                + "16:05:25.428,AAL433  ,,,,,,,,,,,0"), NOW)).isNull();
        assertThat(tracks.apply(SbsMessage.parse("MSG,4,1,1,A22123,1,2026/09/14,16:05:23.647,2026/09/14,"
                + "16:05:23.684,,,117,240,,,0,,,,,0"), NOW)).isNull();
        Contact fix = tracks.apply(SbsMessage.parse("MSG,3,1,1,A22123,1,2026/09/14,16:05:24.167,2026/09/14,"
                + "16:05:24.173,,8275,,,40.14684,-83.17065,,,0,,0,0"), NOW);

        assertThat(fix.id()).isEqualTo("adsb:A22123");
        assertThat(fix.kind()).isEqualTo("aircraft");
        assertThat(fix.name()).as("the callsign, trimmed").isEqualTo("AAL433");
        assertThat(fix.time()).as("the node's clock, not the feed's zoneless one").isEqualTo(NOW);
        assertThat(fix.lat()).isEqualTo(40.14684);
        assertThat(fix.lon()).isEqualTo(-83.17065);
        assertThat(fix.alt()).as("feet to metres").isCloseTo(2522.22, within(0.01));
        assertThat(fix.speed()).as("knots to m/s").isCloseTo(60.19, within(0.01));
        assertThat(fix.heading()).isEqualTo(240.0);
        assertThat(fix.attributes().getString("icao")).isEqualTo("A22123");
        assertThat(fix.attributes().getBoolean("onGround")).isFalse();

        // Another capture: a descending aircraft's velocity, then a squawk, then its position.
        tracks.apply(SbsMessage.parse("MSG,4,1,1,4075C1,1,2026/08/30,19:14:44.382,2026/08/30,19:14:44.452,,,441,205,,,"
                + "64,,,,,0"), NOW);
        SbsMessage squawk = SbsMessage.parse("MSG,6,1,1,4075C1,1,2026/08/30,19:14:49.850,2026/08/30,19:14:49.912,,,,,"
                + ",,,3543,0,0,0,");
        assertThat(squawk.squawk()).isEqualTo("3543");
        tracks.apply(squawk, NOW);
        Contact second = tracks.apply(SbsMessage.parse("MSG,3,1,1,4075C1,1,2026/08/30,19:14:44.248,2026/08/30,"
                + "19:14:44.300,,40000,,,43.12637,-70.59115,,,0,,0,0"), NOW);
        assertThat(second.attributes().getString("squawk")).isEqualTo("3543");
        assertThat(second.attributes().getDouble("verticalRate")).as("ft/min to m/s").isCloseTo(0.33, within(0.01));
        assertThat(second.name()).isNull();
        assertThat(tracks.size()).isEqualTo(2);
        tracks.sweep(NOW.plus(AircraftTracks.FORGET_AFTER).plusSeconds(1));
        assertThat(tracks.size()).isZero();
    }

    @Test
    void aNonIcaoAddressIsMarked() {
        SbsMessage tisb = SbsMessage.parse("MSG,3,1,1,~2A1B2C,1,2026/09/14,16:05:24.167,2026/09/14,16:05:24.173,,2100,"
                + ",,31.7,-106.4,,,0,,0,0");
        assertThat(tisb.icao()).isEqualTo("2A1B2C");
        assertThat(tisb.nonIcao()).isTrue();
    }

    @Test
    void malformedLinesAreRefusedWithTheReason() {
        for (String bad : List.of("", "hello", "MSG,9,1,1,A22123,1,,,,,", "MSG,3,1,1,NOTHEX,1,,,,,,100,,,1,2",
                "MSG,3,1,1,A22123,1,,,,,,100,,,95.0,2.0,,,0,,0,0", "MSG,3,1,1,A22123,1,,,,,,100,,,31.0,,,,0,,0,0",
                "MSG,3,1,1,A22123,1,,,,,,lots,,,31.0,-106.0,,,0,,0,0", "MSG,4,1,1,A22123,1,,,,,,,fast,240,,,0",
                "MSG,4,1,1,A22123,1,,,,,,,-5,240,,,0", "MSG,1,1,1,A22123,1,,,,,WAY TOO LONG CALLSIGN,,,,,,,,,,,",
                "MSG,3,1,1,A22123,1,,,,,,100,,,NaN,Infinity,,,0,,0,0", "MSG,3", "x".repeat(600))) {
            assertThatThrownBy(() -> SbsMessage.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void linesAreCutAtLineEndsAndOverlongOnesSkippedWhole() {
        List<String> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(16, lines::add);
        splitter.feed(Buffer.buffer("MSG,1\r\nMSG"));
        splitter.feed(Buffer.buffer(",3\n" + "y".repeat(40)));
        splitter.feed(Buffer.buffer("y".repeat(40) + "\nlast\n"));

        assertThat(lines).containsExactly("MSG,1", "MSG,3", null, "last");
    }
}
