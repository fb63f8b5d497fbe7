package org.borderwatch.tls;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.borderwatch.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509KeyManager;
import javax.security.auth.x500.X500Principal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;

/**
 * TLS for the node's listeners, from {@code BW_TLS_CERT}, {@code BW_TLS_KEY} and {@code BW_TLS_CLIENT_CA} (API.md
 * §2). The PEM files are loaded and checked once at start with the same Vert.x code that serves them, so a wrong
 * path, a file Vert.x cannot parse or a key that does not belong to the certificate stops the node with the variable
 * named, instead of failing every handshake later.
 */
public final class Tls {

    private static final Logger LOG = LoggerFactory.getLogger(Tls.class);

    private Tls() {
    }

    /**
     * Fails with an {@link IllegalArgumentException} naming the variable when the TLS settings cannot work. Blocking
     * (reads the files): call it at start, off the event loop.
     */
    public static void check(Vertx vertx, Config config) {
        if (config.tlsCert() == null && config.tlsKey() == null) {
            if (config.tlsClientCa() != null) {
                throw new IllegalArgumentException("BW_TLS_CLIENT_CA needs BW_TLS_CERT and BW_TLS_KEY: client "
                        + "certificates are only asked for over TLS");
            }
            return;
        }
        if (config.tlsCert() == null || config.tlsKey() == null) {
            throw new IllegalArgumentException("BW_TLS_CERT and BW_TLS_KEY go together: set both or neither");
        }
        readable("BW_TLS_CERT", config.tlsCert());
        readable("BW_TLS_KEY", config.tlsKey());
        checkKeyPair(vertx, config);
        if (config.tlsClientCa() != null) {
            readable("BW_TLS_CLIENT_CA", config.tlsClientCa());
            checkClientCa(vertx, config.tlsClientCa());
        }
    }

    /** {@code options} made TLS-only with the node's certificate when TLS is configured, else unchanged. */
    public static <T extends NetServerOptions> T server(Config config, T options) {
        if (config.tls()) {
            options.setSsl(true).setKeyCertOptions(keyCert(config));
        }
        return options;
    }

    /**
     * The CoT TLS listener: the node's certificate and, with {@code BW_TLS_CLIENT_CA}, a client certificate signed by
     * that CA required at the handshake, as TAK Server's streaming port.
     */
    public static NetServerOptions cot(Config config) {
        NetServerOptions options = server(config, new NetServerOptions());
        if (config.tlsClientCa() != null) {
            options.setClientAuth(ClientAuth.REQUIRED)
                    .setTrustOptions(new PemTrustOptions().addCertPath(config.tlsClientCa()));
        }
        return options;
    }

    /** The CN of the certificate the client presented on {@code socket}, or null when it presented none. */
    public static String clientName(NetSocket socket) {
        if (!socket.isSsl()) {
            return null;
        }
        List<Certificate> chain;
        try {
            chain = socket.peerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
        if (chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate certificate)) {
            return null;
        }
        return commonName(certificate.getSubjectX500Principal());
    }

    /** The most specific CN of a distinguished name, unescaped; null when it has none. */
    static String commonName(X500Principal subject) {
        try {
            List<Rdn> rdns = new LdapName(subject.getName(X500Principal.RFC2253)).getRdns();
            // LdapName lists the least specific part first; the CN that names the client comes last.
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if ("CN".equalsIgnoreCase(rdns.get(i).getType())) {
                    return String.valueOf(rdns.get(i).getValue());
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    private static PemKeyCertOptions keyCert(Config config) {
        return new PemKeyCertOptions().setCertPath(config.tlsCert()).setKeyPath(config.tlsKey());
    }

    private static void readable(String variable, String path) {
        if (!Files.isRegularFile(Path.of(path)) || !Files.isReadable(Path.of(path))) {
            throw new IllegalArgumentException(variable + ": cannot read " + path);
        }
    }

    /** Loads the pair as the listeners will, and proves the key signs what the certificate's public key verifies. */
    private static void checkKeyPair(Vertx vertx, Config config) {
        PemKeyCertOptions options = keyCert(config);
        X509KeyManager keys;
        KeyStore store;
        try {
            store = options.loadKeyStore(vertx);
            keys = x509(options.getKeyManagerFactory(vertx).getKeyManagers());
        } catch (Exception e) {
            throw new IllegalArgumentException("BW_TLS_CERT / BW_TLS_KEY: cannot load " + config.tlsCert() + " and "
                    + config.tlsKey() + " as a PEM certificate chain and a PEM private key (PKCS#8, PKCS#1 RSA or "
                    + "SEC1 EC, unencrypted): " + e.getMessage(), e);
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                PrivateKey key = keys.getPrivateKey(alias);
                X509Certificate[] chain = keys.getCertificateChain(alias);
                if (key == null || chain == null || chain.length == 0) {
                    continue;
                }
                if (!belongTogether(key, chain[0])) {
                    throw new IllegalArgumentException("BW_TLS_KEY: the key in " + config.tlsKey()
                            + " does not belong to the first certificate in " + config.tlsCert() + " ("
                            + chain[0].getSubjectX500Principal().getName() + ")");
                }
                warnIfOutOfDate(chain[0], config.tlsCert());
                return;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("BW_TLS_KEY: cannot use the key in " + config.tlsKey() + ": "
                    + e.getMessage(), e);
        }
        throw new IllegalArgumentException("BW_TLS_CERT / BW_TLS_KEY: no private key with its certificate in "
                + config.tlsKey() + " and " + config.tlsCert());
    }

    private static X509KeyManager x509(KeyManager[] managers) {
        for (KeyManager manager : managers) {
            if (manager instanceof X509KeyManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 key manager");
    }

    private static boolean belongTogether(PrivateKey key, X509Certificate certificate)
            throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448 sign under their own name
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        try {
            verifier.initVerify(certificate.getPublicKey());
        } catch (GeneralSecurityException e) {
            return false; // a key of another kind than the certificate's
        }
        verifier.update(challenge);
        return verifier.verify(signature);
    }

    /** An expired certificate still starts the node (a watch floor must come up); clients will refuse it. */
    private static void warnIfOutOfDate(X509Certificate certificate, String path) {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            LOG.warn("BW_TLS_CERT: the certificate in {} is not valid now ({}); clients will refuse it", path,
                    e.getMessage());
        }
    }

    private static void checkClientCa(Vertx vertx, String path) {
        try {
            KeyStore authorities = new PemTrustOptions().addCertPath(path).loadKeyStore(vertx);
            if (authorities.size() == 0) {
                throw new IllegalArgumentException("BW_TLS_CLIENT_CA: no PEM certificate in " + path);
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("BW_TLS_CLIENT_CA: cannot load " + path + " as PEM certificates: "
                    + e.getMessage(), e);
        }
    }
}
