package org.borderwatch.http;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** A failure the client can act on: becomes {@code status} with {@code {"error","field","index"}}. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String field;
    private final Integer index;
    private final Long retryAfterSeconds;
    private final String reason;

    public ApiException(int status, String error, String field, Integer index) {
        this(status, error, field, index, null, null);
    }

    private ApiException(int status, String error, String field, Integer index, Long retryAfterSeconds,
                         String reason) {
        super(error, null, false, false);
        this.status = status;
        this.field = field;
        this.index = index;
        this.retryAfterSeconds = retryAfterSeconds;
        this.reason = reason;
    }

    public static ApiException badRequest(String error, String field) {
        return new ApiException(400, error, field, null);
    }

    public static ApiException badRequest(String error, String field, int index) {
        return new ApiException(400, error, field, index);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, what + " not found", null, null);
    }

    /** Ids of stored things are UUIDs: anything else names nothing, so it is a 404 rather than a database error. */
    public static void requireUuid(String id, String what) {
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound(what + " " + id);
        }
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "authentication required", null, null);
    }

    public static ApiException forbidden(String why) {
        return new ApiException(403, why, null, null);
    }

    /** 429: the client must wait {@code retryAfterSeconds} (sent as {@code Retry-After}) before it tries again. */
    public static ApiException tooManyRequests(String why, long retryAfterSeconds) {
        return new ApiException(429, why, null, null, retryAfterSeconds, null);
    }

    /**
     * Refused before the work by admission control: 429 (the device's bound) or 503 (the node's), with
     * {@code Retry-After} and {@code reason} naming the bound in the body, e.g. {@code node-bytes}.
     */
    public static ApiException overloaded(int status, String why, String reason, long retryAfterSeconds) {
        return new ApiException(status, why, null, null, retryAfterSeconds, reason);
    }

    /** 503: the server cannot take this now; the client tries again after {@code retryAfterSeconds}. */
    public static ApiException unavailable(String why, long retryAfterSeconds) {
        return new ApiException(503, why, null, null, retryAfterSeconds, null);
    }

    /** Seconds for a {@code Retry-After} header, or null when the answer has none. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public JsonObject toJson() {
        JsonObject body = new JsonObject().put("error", getMessage());
        if (field != null) {
            body.put("field", field);
        }
        if (index != null) {
            body.put("index", index);
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        return body;
    }
}
