package org.borderwatch.feed;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What waits for one client of the feed while its connection is busy: the newest position of each unit (a newer one
 * replaces it, so a slow client skips fixes but never the latest) and, bounded, the messages that cannot be coalesced
 * (alerts). Used on one context; never blocks the others.
 */
public final class Outbox<T> {

    private final Map<String, T> positions = new LinkedHashMap<>();
    private final ArrayDeque<T> messages = new ArrayDeque<>();
    private final int maxMessages;

    public Outbox(int maxMessages) {
        this.maxMessages = maxMessages;
    }

    public void position(String unitId, T item) {
        positions.put(unitId, item);
    }

    /** Queues a message; false when {@code maxMessages} already wait: the client has stopped reading. */
    public boolean message(T item) {
        if (messages.size() >= maxMessages) {
            return false;
        }
        messages.add(item);
        return true;
    }

    /** The next thing to send, messages first; null when nothing waits. */
    public T poll() {
        T message = messages.poll();
        if (message != null) {
            return message;
        }
        var it = positions.values().iterator();
        if (!it.hasNext()) {
            return null;
        }
        T next = it.next();
        it.remove();
        return next;
    }

    public boolean isEmpty() {
        return messages.isEmpty() && positions.isEmpty();
    }

    public int size() {
        return messages.size() + positions.size();
    }
}
