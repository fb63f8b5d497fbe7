package org.borderwatch.http;

/** The server cannot take this now (queue full, unit owner unreachable): retry shortly (503 + Retry-After). */
public class UnavailableException extends RuntimeException {

    public UnavailableException(String message) {
        super(message, null, false, false);
    }
}
