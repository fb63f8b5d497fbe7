package org.borderwatch.auth;

/**
 * What a bearer token stands for: its principal and, for a login token, its id ({@code jti}) and expiry (epoch
 * seconds). A device key has neither: it is revoked by rotating it.
 */
public record Session(Principal principal, String id, long expiresAt) {
}
