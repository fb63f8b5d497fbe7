package org.borderwatch.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The node's counters and gauges, rendered in the Prometheus text format for {@code GET /metrics}. */
public final class Metrics {

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    private record Counter(String help, LongAdder value) {
    }

    private record Gauge(String help, LongSupplier value) {
    }

    public LongAdder counter(String name, String help) {
        return counters.computeIfAbsent(name, n -> new Counter(help, new LongAdder())).value();
    }

    public void gauge(String name, String help, LongSupplier value) {
        gauges.put(name, new Gauge(help, value));
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        counters.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out
                .append("# HELP ").append(e.getKey()).append(' ').append(e.getValue().help()).append('\n')
                .append("# TYPE ").append(e.getKey()).append(" counter\n")
                .append(e.getKey()).append(' ').append(e.getValue().value().sum()).append('\n'));
        gauges.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out
                .append("# HELP ").append(e.getKey()).append(' ').append(e.getValue().help()).append('\n')
                .append("# TYPE ").append(e.getKey()).append(" gauge\n")
                .append(e.getKey()).append(' ').append(e.getValue().value().getAsLong()).append('\n'));
        return out.toString();
    }
}
