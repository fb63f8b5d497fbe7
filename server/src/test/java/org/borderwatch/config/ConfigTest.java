package org.borderwatch.config;

import org.borderwatch.db.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {

    @Test
    void defaultsAreTheContractsDefaults() {
        Config config = Config.from(Map.of());

        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.dbUrl()).isEqualTo(Config.LOCAL_DB_URL);
        assertThat(config.adminPassword()).isNull();
        assertThat(config.simulatorUnits()).isZero();
        assertThat(config.cluster()).isFalse();
        assertThat(config.clusterPort()).isEqualTo(5701);
        assertThat(config.mqttPort()).isEqualTo(1883);
        assertThat(config.osmandPort()).isEqualTo(5055);
        assertThat(config.cotPort()).isEqualTo(8087);
        assertThat(config.cotTlsPort()).isEqualTo(8089);
        assertThat(config.tls()).isFalse();
        assertThat(config.tlsClientCa()).isNull();
        assertThat(config.staleSeconds()).isEqualTo(60);
    }

    @Test
    void aTileUrlNamesItsOriginAndNothingElseIsAccepted() {
        assertThat(Config.from(Map.of()).tileOrigin()).as("offline by default").isNull();
        Config config = Config.from(Map.of("BW_TILE_URL", "https://tiles.example.org:8443/osm/{z}/{x}/{y}.png?k=1&s=a"));
        assertThat(config.tileUrl()).isEqualTo("https://tiles.example.org:8443/osm/{z}/{x}/{y}.png?k=1&s=a");
        assertThat(config.tileOrigin()).isEqualTo("https://tiles.example.org:8443");

        for (String bad : new String[] {"https://tiles.example.org/tile.png", "ftp://tiles.example.org/{z}/{x}/{y}",
                "javascript:alert(1)//{z}{x}{y}", "https://user:pw@tiles.example.org/{z}/{x}/{y}",
                "https://tiles.example.org/{z}/{x}/{y}.png\"><script>", "https://a.example.org/{z}/{x}/{y} x"}) {
            assertThatThrownBy(() -> Config.from(Map.of("BW_TILE_URL", bad))).as(bad)
                    .hasMessageContaining("BW_TILE_URL");
        }
    }

    @Test
    void aTileArchiveMustBeAReadablePmtilesFile(@TempDir Path dir) throws IOException {
        assertThat(Config.from(Map.of()).tilesPath()).as("no archive by default").isNull();
        Path archive = Files.write(dir.resolve("border.pmtiles"), new byte[] {1, 2, 3});
        assertThat(Config.from(Map.of("BW_TILES_PATH", archive.toString())).tilesPath())
                .isEqualTo(archive.toAbsolutePath().toString());

        Path mbtiles = Files.write(dir.resolve("border.mbtiles"), new byte[] {1});
        assertThatThrownBy(() -> Config.from(Map.of("BW_TILES_PATH", mbtiles.toString())))
                .hasMessageContaining("BW_TILES_PATH").hasMessageContaining(".pmtiles");
        for (String bad : new String[] {dir.resolve("missing.pmtiles").toString(), dir.toString() + "/.pmtiles",
                dir.toString()}) {
            assertThatThrownBy(() -> Config.from(Map.of("BW_TILES_PATH", bad))).as(bad)
                    .hasMessageContaining("BW_TILES_PATH");
        }
    }

    @Test
    void tlsIsOnWithACertificate() {
        Config config = Config.from(Map.of("BW_TLS_CERT", " /etc/borderwatch/server.pem ",
                "BW_TLS_KEY", "/etc/borderwatch/server.key", "BW_TLS_CLIENT_CA", "/etc/borderwatch/ca.pem",
                "BW_COT_TLS_PORT", "9089"));

        assertThat(config.tls()).isTrue();
        assertThat(config.tlsCert()).isEqualTo("/etc/borderwatch/server.pem");
        assertThat(config.tlsKey()).isEqualTo("/etc/borderwatch/server.key");
        assertThat(config.tlsClientCa()).isEqualTo("/etc/borderwatch/ca.pem");
        assertThat(config.cotTlsPort()).isEqualTo(9089);
    }

    @Test
    void readsTheEnvironment() {
        Config config = Config.from(Map.of("BW_HTTP_PORT", "9090", "BW_CLUSTER", "true",
                "BW_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701,", "BW_STALE_SECONDS", "30"));

        assertThat(config.httpPort()).isEqualTo(9090);
        assertThat(config.cluster()).isTrue();
        assertThat(config.clusterMembers()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
        assertThat(config.staleSeconds()).isEqualTo(30);
    }

    @Test
    void webhookRetryHoursMayBeAFractionButNotZero() {
        assertThat(Config.from(Map.of()).webhookRetryHours()).isEqualTo(24);
        assertThat(Config.from(Map.of("BW_WEBHOOK_RETRY_HOURS", "0.001")).webhookRetryHours()).isEqualTo(0.001);
        assertThatThrownBy(() -> Config.from(Map.of("BW_WEBHOOK_RETRY_HOURS", "0")))
                .hasMessageContaining("BW_WEBHOOK_RETRY_HOURS");
        assertThatThrownBy(() -> Config.from(Map.of("BW_WEBHOOK_RETRY_HOURS", "a day")))
                .hasMessageContaining("BW_WEBHOOK_RETRY_HOURS");
    }

    @Test
    void admissionControlIsOnWithItsBoundsUnlessTurnedOff() {
        Config config = Config.from(Map.of());
        assertThat(config.admission()).isTrue();
        assertThat(config.maxInflightRequests()).isEqualTo(Config.DEFAULT_MAX_INFLIGHT_REQUESTS);
        assertThat(config.maxInflightBytes()).isEqualTo(Config.DEFAULT_MAX_INFLIGHT_BYTES);
        assertThat(config.deviceMaxInflightRequests()).isEqualTo(Config.DEFAULT_DEVICE_MAX_INFLIGHT_REQUESTS);
        assertThat(config.deviceMaxInflightBytes()).isEqualTo(Config.DEFAULT_DEVICE_MAX_INFLIGHT_BYTES);
        assertThat(config.maxQueueWaitMillis()).isEqualTo(Config.DEFAULT_MAX_QUEUE_WAIT_MS);

        Config tuned = Config.from(Map.of("BW_ADMISSION", "OFF", "BW_MAX_INFLIGHT_REQUESTS", "64",
                "BW_MAX_INFLIGHT_BYTES", "1048576", "BW_DEVICE_MAX_INFLIGHT_REQUESTS", "2",
                "BW_DEVICE_MAX_INFLIGHT_BYTES", "65536", "BW_MAX_QUEUE_WAIT_MS", "250"));
        assertThat(tuned.admission()).isFalse();
        assertThat(tuned.maxInflightRequests()).isEqualTo(64);
        assertThat(tuned.maxInflightBytes()).isEqualTo(1_048_576);
        assertThat(tuned.deviceMaxInflightRequests()).isEqualTo(2);
        assertThat(tuned.deviceMaxInflightBytes()).isEqualTo(65_536);
        assertThat(tuned.maxQueueWaitMillis()).isEqualTo(250);
        assertThatThrownBy(() -> Config.from(Map.of("BW_MAX_INFLIGHT_BYTES", "0")))
                .hasMessageContaining("BW_MAX_INFLIGHT_BYTES");
    }

    @Test
    void aBadNumberNamesTheVariable() {
        assertThatThrownBy(() -> Config.from(Map.of("BW_HTTP_PORT", "eighty")))
                .hasMessageContaining("BW_HTTP_PORT");
    }

    @Test
    void contactFeedsAreOffUnlessConfiguredAndAFeedAddressIsHostAndPort() {
        Config none = Config.from(Map.of());
        assertThat(none.adsbSbs()).isNull();
        assertThat(none.aisUdpPort()).isZero();
        assertThat(none.contactStaleSeconds()).isEqualTo(60);
        assertThat(none.contactFeedAgency()).isEqualTo("root");

        Config feeds = Config.from(Map.of("BW_ADSB_SBS", "piaware.local:30003", "BW_AIS_UDP_PORT", "10110",
                "BW_CONTACT_STALE_SECONDS", "180", "BW_CONTACT_FEED_AGENCY", "coast"));
        assertThat(feeds.adsbHost()).isEqualTo("piaware.local");
        assertThat(feeds.adsbPort()).isEqualTo(30003);
        assertThat(feeds.aisUdpPort()).isEqualTo(10110);
        assertThat(feeds.contactStaleSeconds()).isEqualTo(180);
        for (String bad : List.of("piaware.local", ":30003", "host:0", "host:70000", "host:port", "a b:30003")) {
            assertThatThrownBy(() -> Config.from(Map.of("BW_ADSB_SBS", bad))).as(bad)
                    .hasMessageContaining("BW_ADSB_SBS");
        }
        assertThatThrownBy(() -> Config.from(Map.of("BW_CONTACT_STALE_SECONDS", "0")))
                .hasMessageContaining("BW_CONTACT_STALE_SECONDS");
    }

    @Test
    void databaseUrlsDecodeCredentials() {
        var options = Database.fromUrl("postgresql://bw%40ops:p%3Ass@db.example:6543/track").connectOptions();

        assertThat(options.getUser()).isEqualTo("bw@ops");
        assertThat(options.getPassword()).isEqualTo("p:ss");
        assertThat(options.getHost()).isEqualTo("db.example");
        assertThat(options.getPort()).isEqualTo(6543);
        assertThat(options.getDatabase()).isEqualTo("track");
        assertThatThrownBy(() -> Database.fromUrl("mysql://x@y/z")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void historySettingsHaveTheContractsDefaultsAndRefuseNonsense() {
        Config defaults = Config.from(Map.of());
        assertThat(defaults.retentionDays()).isZero();
        assertThat(defaults.trackGapSeconds()).isEqualTo(300);
        assertThat(defaults.historyMaxDays()).isEqualTo(31);
        assertThat(Config.from(Map.of("BW_RETENTION_DAYS", "90")).retentionDays()).isEqualTo(90);
        assertThatThrownBy(() -> Config.from(Map.of("BW_RETENTION_DAYS", "-1")))
                .hasMessageContaining("BW_RETENTION_DAYS");
        assertThatThrownBy(() -> Config.from(Map.of("BW_TRACK_GAP_SECONDS", "0")))
                .hasMessageContaining("BW_TRACK_GAP_SECONDS");
    }
}
