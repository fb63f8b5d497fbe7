package org.borderwatch.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that never holds more than {@code max} entries: adding one more drops the eldest, by insertion or, with
 * {@code accessOrder}, by last use. For what feeds from outside fill (aircraft, vessels, message fragments), so no
 * input can grow it without bound. Not thread-safe: use on one context.
 */
public final class BoundedMap<K, V> extends LinkedHashMap<K, V> {

    private final int max;

    public BoundedMap(int max, boolean accessOrder) {
        super(Math.min(max, 256), 0.75f, accessOrder);
        this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
    }
}
