package org.borderwatch.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The node's counters and gauges, rendered in the Prometheus text format for {@code GET /metrics}. */
public final class Metrics {

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
    private final Map<String, Histogram> histograms = new ConcurrentHashMap<>();

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

    /** A histogram with the given upper bounds (ascending); Prometheus adds {@code +Inf}. */
    public Histogram histogram(String name, String help, double... bounds) {
        return histograms.computeIfAbsent(name, n -> new Histogram(help, bounds.clone()));
    }

    /** Observations counted into cumulative buckets, with their sum and count, as Prometheus reads them. */
    public static final class Histogram {
        private final String help;
        private final double[] bounds;
        private final LongAdder[] buckets;
        private final LongAdder count = new LongAdder();
        private final DoubleAdder sum = new DoubleAdder();

        private Histogram(String help, double[] bounds) {
            this.help = help;
            this.bounds = bounds;
            this.buckets = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        public void observe(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(value);
        }

        public long count() {
            return count.sum();
        }

        private void render(String name, StringBuilder out) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                    .append("# TYPE ").append(name).append(" histogram\n");
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += buckets[i].sum();
                out.append(name).append("_bucket{le=\"").append(bounds[i]).append("\"} ").append(cumulative)
                        .append('\n');
            }
            out.append(name).append("_bucket{le=\"+Inf\"} ").append(count.sum()).append('\n')
                    .append(name).append("_sum ").append(sum.sum()).append('\n')
                    .append(name).append("_count ").append(count.sum()).append('\n');
        }
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
        histograms.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> e.getValue().render(e.getKey(), out));
        return out.toString();
    }
}
