package org.borderwatch.tls;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;
import org.borderwatch.TestNode;
import org.borderwatch.config.Config;
import org.borderwatch.tls.TestCertificates.KeyKind;
import org.borderwatch.tls.TestCertificates.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.security.auth.x500.X500Principal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TLS settings as an operator gives them: every PEM key encoding works, every mistake is named at start. */
class TlsTest {

    @TempDir
    static Path dir;
    private static Vertx vertx;
    private static TestCertificates certificates;
    private static Pem ca;

    @BeforeAll
    static void authority() throws Exception {
        vertx = Vertx.vertx();
        certificates = new TestCertificates(dir);
        ca = certificates.authority("unit-test");
    }

    @AfterAll
    static void stop() throws Exception {
        TestNode.await(vertx.close());
    }

    private static Config config(String... env) {
        Map<String, String> settings = new HashMap<>();
        for (int i = 0; i < env.length; i += 2) {
            settings.put(env[i], env[i + 1]);
        }
        return Config.from(settings);
    }

    private static Config config(Pem server) {
        return config("BW_TLS_CERT", server.cert().toString(), "BW_TLS_KEY", server.key().toString());
    }

    @ParameterizedTest
    @EnumSource(KeyKind.class)
    void everyPemKeyEncodingIsAcceptedAndServesAHandshake(KeyKind kind) throws Exception {
        Pem server = certificates.server(ca, kind);
        Config config = config(server);

        assertThatCode(() -> Tls.check(vertx, config)).doesNotThrowAnyException();
        NetServer listener = TestNode.await(vertx.createNetServer(Tls.server(config, new NetServerOptions()))
                .connectHandler(socket -> socket.handler(socket::end)) // an echo
                .listen(0, "127.0.0.1"));
        NetClient client = null;
        try {
            // Held in a variable: Vert.x closes a client, and its connections, once it is garbage.
            client = vertx.createNetClient(new NetClientOptions().setSsl(true)
                    .setHostnameVerificationAlgorithm("HTTPS")
                    .setTrustOptions(new PemTrustOptions().addCertPath(ca.cert().toString())));
            NetSocket socket = TestNode.await(client.connect(listener.actualPort(), "127.0.0.1"));
            Promise<Buffer> received = Promise.promise();
            socket.handler(received::tryComplete);
            socket.write("over TLS");
            assertThat(TestNode.await(received.future()).toString()).isEqualTo("over TLS");
        } finally {
            TestNode.await(listener.close());
            if (client != null) {
                TestNode.await(client.close());
            }
        }
    }

    @Test
    void noTlsSettingsMeansNoTls() {
        Config config = config();

        assertThat(config.tls()).isFalse();
        assertThatCode(() -> Tls.check(vertx, config)).doesNotThrowAnyException();
        assertThat(Tls.server(config, new NetServerOptions()).isSsl()).isFalse();
        assertThat(config.cotTlsPort()).isEqualTo(8089);
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingBwTlsKey() throws Exception {
        Pem one = certificates.server(ca, KeyKind.EC_SEC1);
        Path otherKey = dir.resolve("other.key");
        TestCertificates.openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", otherKey.toString());

        assertThatThrownBy(() -> Tls.check(vertx, config("BW_TLS_CERT", one.cert().toString(),
                "BW_TLS_KEY", otherKey.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("BW_TLS_KEY")
                .hasMessageContaining("does not belong");
    }

    @Test
    void anRsaKeyForAnEcCertificateIsRefused() throws Exception {
        Pem ec = certificates.server(ca, KeyKind.EC_PKCS8);
        Pem rsa = certificates.server(ca, KeyKind.RSA_PKCS1);

        assertThatThrownBy(() -> Tls.check(vertx, config("BW_TLS_CERT", ec.cert().toString(),
                "BW_TLS_KEY", rsa.key().toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BW_TLS_KEY");
    }

    @Test
    void unreadableOrMissingFilesAreNamed() throws Exception {
        Pem server = certificates.server(ca, KeyKind.RSA_PKCS8);
        String missing = dir.resolve("no-such.pem").toString();

        assertThatThrownBy(() -> Tls.check(vertx, config("BW_TLS_CERT", missing,
                "BW_TLS_KEY", server.key().toString())))
                .hasMessage("BW_TLS_CERT: cannot read " + missing);
        assertThatThrownBy(() -> Tls.check(vertx, config("BW_TLS_CERT", server.cert().toString(),
                "BW_TLS_KEY", dir.toString())))
                .hasMessage("BW_TLS_KEY: cannot read " + dir);
        assertThatThrownBy(() -> Tls.check(vertx, config("BW_TLS_CERT", server.cert().toString(),
                "BW_TLS_KEY", server.key().toString(), "BW_TLS_CLIENT_CA", missing)))
                .hasMessage("BW_TLS_CLIENT_CA: cannot read " + missing);
    }

    @Test
    void filesThatAreNoPemAreNamed() throws Exception {
        Pem server = certificates.server(ca, KeyKind.RSA_PKCS8);
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "this is not PEM\n");

        assertThatThrownBy(() -> Tls.check(vertx, config("BW_TLS_CERT", garbage.toString(),
                "BW_TLS_KEY", server.key().toString())))
                .hasMessageContaining("BW_TLS_CERT");
        assertThatThrownBy(() -> Tls.check(vertx, config("BW_TLS_CERT", server.cert().toString(),
                "BW_TLS_KEY", garbage.toString())))
                .hasMessageContaining("BW_TLS_KEY");
        assertThatThrownBy(() -> Tls.check(vertx, config("BW_TLS_CERT", server.cert().toString(),
                "BW_TLS_KEY", server.key().toString(), "BW_TLS_CLIENT_CA", garbage.toString())))
                .hasMessageStartingWith("BW_TLS_CLIENT_CA");
    }

    @Test
    void halfASettingIsRefused() throws Exception {
        Pem server = certificates.server(ca, KeyKind.RSA_PKCS8);

        assertThatThrownBy(() -> Tls.check(vertx, config("BW_TLS_CERT", server.cert().toString())))
                .hasMessageContaining("BW_TLS_CERT and BW_TLS_KEY");
        assertThatThrownBy(() -> Tls.check(vertx, config("BW_TLS_KEY", server.key().toString())))
                .hasMessageContaining("BW_TLS_CERT and BW_TLS_KEY");
        assertThatThrownBy(() -> Tls.check(vertx, config("BW_TLS_CLIENT_CA", ca.cert().toString())))
                .hasMessageStartingWith("BW_TLS_CLIENT_CA");
    }

    @Test
    void theClientsNameIsTheMostSpecificCommonName() {
        assertThat(Tls.commonName(new X500Principal("CN=PV-14, OU=Patrol, O=Border, C=US"))).isEqualTo("PV-14");
        assertThat(Tls.commonName(new X500Principal("CN=Sector HQ, CN=floor-1"))).isEqualTo("Sector HQ");
        assertThat(Tls.commonName(new X500Principal("CN=Smith\\, John, O=Border"))).isEqualTo("Smith, John");
        assertThat(Tls.commonName(new X500Principal("O=Border, C=US"))).isNull();
    }
}
