package org.borderwatch.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for a test, made with the openssl command line as the README tells an operator to: a CA, a server
 * certificate for 127.0.0.1 and localhost, client certificates whose CN names a unit or a user.
 */
public final class TestCertificates {

    /** The PEM encodings of a private key that Borderwatch reads. */
    public enum KeyKind {
        /** {@code BEGIN PRIVATE KEY} holding an RSA key, OpenSSL 3's default. */
        RSA_PKCS8,
        /** {@code BEGIN RSA PRIVATE KEY}, older OpenSSL's and many CAs' default. */
        RSA_PKCS1,
        /** {@code BEGIN EC PRIVATE KEY} (SEC1), what {@code openssl ecparam -genkey} writes. */
        EC_SEC1,
        /** {@code BEGIN PRIVATE KEY} holding an EC key. */
        EC_PKCS8
    }

    /** A certificate and its key, as PEM files. */
    public record Pem(Path cert, Path key) {
    }

    private final Path dir;

    public TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A self-signed CA named {@code name}. */
    public Pem authority(String name) throws Exception {
        Pem ca = new Pem(dir.resolve(name + "-ca.pem"), dir.resolve(name + "-ca.key"));
        key(KeyKind.EC_PKCS8, ca.key());
        openssl("req", "-x509", "-new", "-key", ca.key().toString(), "-sha256", "-days", "2",
                "-subj", "/O=Borderwatch test/CN=" + name, "-out", ca.cert().toString(),
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return ca;
    }

    /** A server certificate for 127.0.0.1 and localhost signed by {@code ca}, its key in the given encoding. */
    public Pem server(Pem ca, KeyKind kind) throws Exception {
        return sign(ca, "server-" + kind.name().toLowerCase(), kind, "localhost",
                "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    }

    /** A client certificate whose CN is {@code commonName} (a unit id or a username), signed by {@code ca}. */
    public Pem client(Pem ca, String commonName) throws Exception {
        String caName = ca.cert().getFileName().toString().replace("-ca.pem", "");
        return sign(ca, "client-" + caName + "-" + commonName, KeyKind.EC_PKCS8, commonName,
                "extendedKeyUsage=clientAuth\n");
    }

    private Pem sign(Pem ca, String name, KeyKind kind, String commonName, String extensions) throws Exception {
        Pem pem = new Pem(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extensions);
        key(kind, pem.key());
        openssl("req", "-new", "-key", pem.key().toString(), "-subj", "/O=Borderwatch test/CN=" + commonName,
                "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.cert().toString(), "-CAkey", ca.key().toString(),
                "-CAcreateserial", "-CAserial", dir.resolve("serial").toString(), "-days", "2", "-sha256",
                "-extfile", ext.toString(), "-out", pem.cert().toString());
        return pem;
    }

    private void key(KeyKind kind, Path out) throws Exception {
        switch (kind) {
            case RSA_PKCS8 -> openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", out.toString());
            case RSA_PKCS1 -> openssl("genrsa", "-traditional", "-out", out.toString(), "2048");
            case EC_SEC1 -> openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", out.toString());
            case EC_PKCS8 -> openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-out", out.toString());
            default -> throw new IllegalArgumentException(kind.name());
        }
    }

    /** Runs openssl with {@code args}; fails with its output when it does not exit 0. */
    public static String openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }
}
