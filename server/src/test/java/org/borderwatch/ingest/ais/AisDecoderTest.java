package org.borderwatch.ingest.ais;

import org.borderwatch.contact.Contact;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The AIS decoder on published sentences: the sample of gpsd's "AIVDM/AIVDO protocol decoding" page, and sentences
 * captured off San Francisco Bay and elsewhere that pyais's test suite checks against other decoders (the expected
 * values here are theirs). Also what must be refused: a wrong checksum, a broken sentence, and fragments that do not
 * make a whole message.
 */
class AisDecoderTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    private static AisMessage one(String sentence) {
        return new AisDecoder().accept(sentence, NOW);
    }

    @Test
    void gpsdsSampleClassAPositionReport() {
        AisMessage.Position report = (AisMessage.Position) one("!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C");

        assertThat(report.type()).isEqualTo(1);
        assertThat(report.mmsi()).isEqualTo(477553000);
        assertThat(report.navStatus()).as("moored").isEqualTo(5);
        assertThat(report.speed()).isEqualTo(0.0);
        assertThat(report.lon()).isCloseTo(-122.345833, within(1e-6));
        assertThat(report.lat()).isCloseTo(47.582833, within(1e-6));
        assertThat(report.course()).isEqualTo(51.0);
        assertThat(report.heading()).isEqualTo(181);
    }

    @Test
    void capturedClassAPositionReports() {
        AisMessage.Position restricted = (AisMessage.Position)
                one("!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C");
        assertThat(restricted.mmsi()).isEqualTo(366053209);
        assertThat(restricted.navStatus()).as("restricted manoeuvrability").isEqualTo(3);
        assertThat(restricted.lon()).isCloseTo(-122.341618, within(1e-6));
        assertThat(restricted.lat()).isCloseTo(37.802118, within(1e-6));
        assertThat(restricted.course()).isEqualTo(219.3);
        assertThat(restricted.heading()).isEqualTo(1);

        AisMessage.Position unknown = (AisMessage.Position) one("!AIVDM,1,1,,A,15NPOOPP00o?b=bE`UNv4?w428D;,0*24");
        assertThat(unknown.mmsi()).isEqualTo(367533950);
        assertThat(unknown.lat()).isCloseTo(37.808418, within(1e-6));
        assertThat(unknown.lon()).isCloseTo(-122.408232, within(1e-6));
        assertThat(unknown.course()).as("360 is not available").isNull();
        assertThat(unknown.heading()).as("511 is not available").isNull();

        AisMessage.Position underWay = (AisMessage.Position) one("!AIVDM,1,1,,B,181:Kjh01ewHFRPDK1s3IRcn06sd,0*08");
        assertThat(underWay.mmsi()).isEqualTo(538090443);
        assertThat(underWay.speed()).isEqualTo(10.9);
        assertThat(underWay.course()).isEqualTo(87.0);

        AisMessage.Position type3 = (AisMessage.Position) one("!AIVDM,1,1,,A,35NSH95001G?wopE`beasVk@0E5:,0*6F");
        assertThat(type3.type()).isEqualTo(3);
        assertThat(type3.mmsi()).isEqualTo(367581220);
        assertThat(type3.navStatus()).as("moored").isEqualTo(5);
        assertThat(type3.speed()).isEqualTo(0.1);
        assertThat(type3.lat()).isCloseTo(37.8107, within(1e-4));
        assertThat(type3.lon()).isCloseTo(-122.3343, within(1e-4));
        assertThat(type3.course()).isEqualTo(254.2);
        assertThat(type3.heading()).isEqualTo(217);
    }

    @Test
    void classBPositionReportsWithAndWithoutAPosition() {
        AisMessage.Position b = (AisMessage.Position) one("!AIVDM,1,1,,A,B5NJ;PP005l4ot5Isbl03wsUkP06,0*76");
        assertThat(b.type()).isEqualTo(18);
        assertThat(b.mmsi()).isEqualTo(367430530);
        assertThat(b.speed()).isEqualTo(0.0);
        assertThat(b.lat()).isCloseTo(37.79, within(0.005));
        assertThat(b.lon()).isCloseTo(-122.27, within(0.005));
        assertThat(b.heading()).isNull();

        AisMessage.Position fast = (AisMessage.Position) one("!AIVDO,1,1,,A,B5NJ;PP2aUl4ot5Isbl6GwsUkP06,0*35");
        assertThat(fast.speed()).isEqualTo(67.8);
        assertThat(fast.course()).isEqualTo(10.1);

        // An own-vessel report on no channel, with nothing available: no position, so no fix.
        AisMessage.Position nowhere = (AisMessage.Position) one("!AIVDO,1,1,,,B>qc:003wk?8mP=18D3Q3wgTiT;T,0*13");
        assertThat(nowhere.mmsi()).isEqualTo(1000000000);
        assertThat(nowhere.hasPosition()).isFalse();
        assertThat(nowhere.speed()).isNull();
        assertThat(new VesselTracks("root", "test").apply(nowhere, NOW)).isNull();
    }

    @Test
    void staticAndVoyageDataInTwoFragmentsInEitherOrder() {
        AisDecoder decoder = new AisDecoder();
        // gpsd's sample type 5, in the order sent.
        assertThat(decoder.accept("!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
                NOW)).as("waiting for the second fragment").isNull();
        AisMessage.Static ever = (AisMessage.Static) decoder.accept("!AIVDM,2,2,1,A,88888888880,2*25", NOW);
        assertThat(ever.type()).isEqualTo(5);
        assertThat(ever.mmsi()).isEqualTo(351759000);
        assertThat(ever.callsign()).isEqualTo("3FOF8");
        assertThat(ever.name()).isEqualTo("EVER DIADEM");
        assertThat(ever.shipType()).as("cargo").isEqualTo(70);
        assertThat(ever.destination()).isEqualTo("NEW YORK");

        // A captured one whose second fragment came first.
        assertThat(decoder.accept("!AIVDM,2,2,4,A,000000000000000,2*20", NOW)).isNull();
        AisMessage.Static reversed = (AisMessage.Static) decoder.accept(
                "!AIVDM,2,1,4,A,55O0W7`00001L@gCWGA2uItLth@DqtL5@F22220j1h742t0Ht0000000,0*08", NOW);
        assertThat(reversed.mmsi()).isEqualTo(368060190);

        AisDecoder another = new AisDecoder();
        another.accept("!AIVDM,2,1,9,A,538CQ>02A;h?D9QC800pu8@T>0P4l9E8L0000017Ah:;;5r50Ahm5;C0,0*0F", NOW);
        AisMessage.Static nordic = (AisMessage.Static) another.accept("!AIVDM,2,2,9,A,F@V@00000000000,2*3D", NOW);
        assertThat(nordic.mmsi()).isEqualTo(210035000);
        assertThat(nordic.name()).isEqualTo("NORDIC HAMBURG");
    }

    @Test
    void classBStaticDataPartsAAndB() {
        AisMessage.Static partA = (AisMessage.Static) one("!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D");
        assertThat(partA.mmsi()).isEqualTo(271041815);
        assertThat(partA.name()).isEqualTo("PROGUY");

        AisMessage.Static partB = (AisMessage.Static) one("!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40");
        assertThat(partB.mmsi()).isEqualTo(271041815);
        assertThat(partB.name()).isNull();
        assertThat(partB.callsign()).isEqualTo("TC6163");
        assertThat(partB.shipType()).as("passenger").isEqualTo(60);

        AisMessage.Static pleasure = (AisMessage.Static) one("!AIVDM,1,1,,A,H52KMeDU653hhhi0000000000000,0*1A");
        assertThat(pleasure.mmsi()).isEqualTo(338091445);
        assertThat(pleasure.shipType()).as("pleasure craft").isEqualTo(37);
    }

    @Test
    void anExtendedClassBReportCarriesItsName() {
        AisMessage.Position ext = (AisMessage.Position)
                one("!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B");
        assertThat(ext.type()).isEqualTo(19);
        assertThat(ext.mmsi()).isEqualTo(367059850);
        assertThat(ext.speed()).isEqualTo(8.7);
        assertThat(ext.lat()).isCloseTo(29.543695, within(1e-6));
        assertThat(ext.course()).isCloseTo(335.9, within(0.01));
        assertThat(ext.name()).isEqualTo("CAPT.J.RIMES");
        assertThat(ext.shipType()).isEqualTo(70);
    }

    @Test
    void aVesselsNameFromItsStaticDataTravelsWithItsPositions() {
        VesselTracks tracks = new VesselTracks("coast", "ais-feed");
        AisDecoder decoder = new AisDecoder();
        decoder.accept("!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C", NOW);
        tracks.apply(decoder.accept("!AIVDM,2,2,1,A,88888888880,2*25", NOW), NOW);
        List<String> position = AisEncoder.positionA(351759000, 25.95, -97.15, 12.0, 270.0, 268, 0, 30);

        Contact fix = tracks.apply(decoder.accept(position.get(0), NOW), NOW);

        assertThat(fix.id()).isEqualTo("ais:351759000");
        assertThat(fix.kind()).isEqualTo("vessel");
        assertThat(fix.name()).isEqualTo("EVER DIADEM");
        assertThat(fix.lat()).isCloseTo(25.95, within(1e-6));
        assertThat(fix.lon()).isCloseTo(-97.15, within(1e-6));
        assertThat(fix.speed()).as("knots to m/s").isCloseTo(6.17, within(0.01));
        assertThat(fix.heading()).as("course over ground").isEqualTo(270.0);
        assertThat(fix.agency()).isEqualTo("coast");
        assertThat(fix.attributes().getString("callsign")).isEqualTo("3FOF8");
        assertThat(fix.attributes().getString("destination")).isEqualTo("NEW YORK");
        assertThat(fix.attributes().getInteger("shipType")).isEqualTo(70);
        assertThat(fix.attributes().getInteger("trueHeading")).isEqualTo(268);
    }

    @Test
    void theEncoderWritesWhatTheDecoderReads() {
        List<String> a = AisEncoder.positionA(366053209, 26.0712, -97.2031, 7.5, 45.2, 44, 0, 12);
        AisMessage.Position pa = (AisMessage.Position) one(a.get(0));
        assertThat(pa.mmsi()).isEqualTo(366053209);
        assertThat(pa.lat()).isCloseTo(26.0712, within(1e-6));
        assertThat(pa.lon()).isCloseTo(-97.2031, within(1e-6));
        assertThat(pa.speed()).isEqualTo(7.5);
        assertThat(pa.course()).isEqualTo(45.2);
        assertThat(pa.heading()).isEqualTo(44);

        List<String> five = AisEncoder.staticA(367000001, 9123456, "WDA1234", "Rio Bravo", 52, "BROWNSVILLE", 3);
        assertThat(five).hasSize(2);
        AisDecoder decoder = new AisDecoder();
        assertThat(decoder.accept(five.get(0), NOW)).isNull();
        AisMessage.Static s = (AisMessage.Static) decoder.accept(five.get(1), NOW);
        assertThat(s.name()).isEqualTo("RIO BRAVO");
        assertThat(s.callsign()).isEqualTo("WDA1234");
        assertThat(s.destination()).isEqualTo("BROWNSVILLE");
        assertThat(s.imo()).isEqualTo(9123456);
        assertThat(s.shipType()).isEqualTo(52);

        AisMessage.Position pb = (AisMessage.Position) one(AisEncoder.positionB(338000001, 25.9, -97.1, 20.0, 90.0,
                5).get(0));
        assertThat(pb.type()).isEqualTo(18);
        assertThat(pb.lat()).isCloseTo(25.9, within(1e-6));
        assertThat(((AisMessage.Static) one(AisEncoder.staticB(338000001, "Lancha 4").get(0))).name())
                .isEqualTo("LANCHA 4");
    }

    @Test
    void aWrongChecksumOrABrokenSentenceIsRefusedWithTheReason() {
        AisDecoder decoder = new AisDecoder();
        assertThatThrownBy(() -> decoder.accept("!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5D", NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checksum");
        // One payload character changed in flight: the checksum catches it.
        assertThatThrownBy(() -> decoder.accept("!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKI,0*5C", NOW))
                .hasMessageContaining("checksum");
        for (String broken : List.of("", "garbage",
                "$GPRMC,213950.00,A,5250.53669,N,00542.34920,E,0.020,,070420,,,A*7D",
                "!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0", "!AIVDM,3,4,,B,177KQJ,0*" + cs("AIVDM,3,4,,B,177KQJ,0"),
                "!AIVDM,1,1,,B,17~KQJ,0*" + cs("AIVDM,1,1,,B,17~KQJ,0"), "!AIVDM,1,1,,B,,0*" + cs("AIVDM,1,1,,B,,0"),
                "!AIVDM,1,1,,B,177KQJ,7*" + cs("AIVDM,1,1,,B,177KQJ,7"), "\\s:station*00\\")) {
            assertThatThrownBy(() -> decoder.accept(broken, NOW)).as(broken)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        // A tag block before the sentence is skipped, and a too-short payload decodes to nothing rather than throwing.
        assertThat(decoder.accept("\\s:rORBCOMM000,c:1426032000*7A\\!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C",
                NOW)).isNotNull();
        assertThat(decoder.accept("!AIVDM,1,1,,B,1,0*" + cs("AIVDM,1,1,,B,1,0"), NOW)).isNull();
    }

    @Test
    void fragmentsThatNeverCompleteAreForgottenAndBounded() {
        AisAssembler assembler = new AisAssembler();
        for (int i = 0; i < AisAssembler.MAX_PENDING + 50; i++) {
            String body = "AIVDM,2,1," + (i % 10) + "," + (char) ('A' + i / 10 % 26) + ",55?MbV02,0";
            assertThat(assembler.add(NmeaSentence.parse("!" + body + "*" + cs(body)), NOW)).isNull();
        }
        assertThat(assembler.pending()).isLessThanOrEqualTo(AisAssembler.MAX_PENDING);
        String late = "AIVDM,2,1,1,Z,55?MbV02,0";
        assembler.add(NmeaSentence.parse("!" + late + "*" + cs(late)),
                NOW.plus(AisAssembler.MAX_WAIT).plusSeconds(1));
        assertThat(assembler.pending()).as("the old ones expired").isEqualTo(1);
    }

    private static String cs(String body) {
        return NmeaSentence.checksum(body);
    }
}
