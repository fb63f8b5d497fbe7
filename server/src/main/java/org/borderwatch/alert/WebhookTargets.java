package org.borderwatch.alert;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.borderwatch.http.ApiException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where a webhook may point (API.md §6): an http or https URL of at most 2,048 characters whose host is not a
 * loopback, private, link-local or otherwise internal address, unless {@code BW_WEBHOOK_ALLOW_PRIVATE}. Checked on
 * create for what the URL says, and again at every delivery on the address the host resolves to, which is then the
 * address connected to: a name that resolves inside the network later (DNS rebinding) reaches nothing.
 */
public final class WebhookTargets {

    public static final int MAX_URL_LENGTH = 2048;

    private final boolean allowPrivate;

    public WebhookTargets(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The parsed URL, or a 400 naming {@code url}. */
    public URI validate(Object value) {
        if (!(value instanceof String text) || text.length() > MAX_URL_LENGTH) {
            throw ApiException.badRequest("url must be an http or https URL of at most " + MAX_URL_LENGTH
                    + " characters", "url");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw ApiException.badRequest("url is not a URL", "url");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getUserInfo() != null) {
            throw ApiException.badRequest("url must be an absolute http or https URL without credentials", "url");
        }
        if (!allowPrivate) {
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            InetAddress literal = literal(host);
            if (host.equals("localhost") || host.endsWith(".localhost") || (literal != null && internal(literal))) {
                throw ApiException.badRequest("url targets a loopback, private or link-local address "
                        + "(BW_WEBHOOK_ALLOW_PRIVATE=true allows it)", "url");
            }
        }
        return uri;
    }

    /** Resolves the URL's host off the event loop; fails when any of its addresses is internal and not allowed. */
    public Future<InetAddress> resolve(Vertx vertx, URI uri) {
        String host = uri.getHost();
        return vertx.executeBlocking(() -> {
            InetAddress[] all;
            try {
                all = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("host does not resolve");
            }
            for (InetAddress address : all) {
                if (!allowPrivate && internal(address)) {
                    throw new IllegalStateException("host resolves to an internal address; not delivered");
                }
            }
            return all[0];
        }, false);
    }

    /** An IP literal as written in a URL, or null for a name (never looked up here). */
    private static InetAddress literal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean ipv4 = bare.matches("[0-9.]+");
        boolean ipv6 = bare.contains(":") && bare.matches("[0-9a-f:.%]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(bare); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            throw ApiException.badRequest("url has a malformed address", "url");
        }
    }

    /** Loopback, private (RFC 1918, RFC 4193), link-local, carrier-grade NAT, unspecified or multicast. */
    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240;
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return internal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
