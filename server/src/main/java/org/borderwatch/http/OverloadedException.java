package org.borderwatch.http;

/** The ingest queue is full: the client should retry shortly (503 + Retry-After). */
public class OverloadedException extends RuntimeException {

    public OverloadedException(String message) {
        super(message, null, false, false);
    }
}
