package org.borderwatch.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The chart of a {@link Bench} run: throughput against the naive design, end-to-end p99, memory. */
final class BenchChart {

    private BenchChart() {
    }

    /** Redraws {@code bench/results/bench.svg} from {@code bench.json}, e.g. after a change to the chart. */
    public static void main(String[] args) throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("bench", "results");
        JsonObject json = new JsonObject(java.nio.file.Files.readString(dir.resolve("bench.json")));
        Map<String, JsonObject> results = new java.util.LinkedHashMap<>();
        json.getJsonObject("results").forEach(e -> results.put(e.getKey(), (JsonObject) e.getValue()));
        java.nio.file.Files.writeString(dir.resolve("bench.svg"), render(results));
    }

    /** Labels short enough for seven scenarios side by side in one panel. */
    private static String label(String scenario) {
        return scenario.replace("http-", "").replace("map1000", "map1k");
    }

    static String render(Map<String, JsonObject> results) {
        List<String> names = new ArrayList<>();
        results.forEach((name, r) -> {
            if ("scenario".equals(r.getString("kind"))) {
                names.add(name);
            }
        });
        double[] durable = new double[names.size()];
        double[] naive = new double[names.size()];
        double[] mapP99 = new double[names.size()];
        double[] alertP99 = new double[names.size()];
        double[] heap = new double[names.size()];
        double[] rss = new double[names.size()];
        for (int i = 0; i < names.size(); i++) {
            JsonObject r = results.get(names.get(i));
            durable[i] = r.getLong("durablePerSecond");
            JsonObject naiveResult = results.get(names.get(i).equals("http-batch") ? "naive-batch" : "naive-single");
            naive[i] = naiveResult == null ? 0 : naiveResult.getLong("durablePerSecond");
            mapP99[i] = p99(r, "mapMs");
            alertP99[i] = p99(r, "alertMs");
            heap[i] = r.getLong("liveHeapAfterGcMiB", 0L);
            rss[i] = r.getLong("peakRssMiB", 0L);
        }
        List<SvgChart.Line> limits = new ArrayList<>();
        JsonObject copy = results.get("copy");
        List<String> labels = names.stream().map(BenchChart::label).toList();
        SvgChart.Panel throughput = new SvgChart.Panel("Positions committed per second", "positions/s", labels,
                List.of(new SvgChart.Series("Borderwatch", "#2b7bba", durable),
                        new SvgChart.Series("naive design, same shape", "#d9534f", naive)),
                List.of(new SvgChart.Line("target batched 50k", 50_000),
                        new SvgChart.Line("target single 15k", 15_000)));
        SvgChart.Panel latency = new SvgChart.Panel("p99 end to end", "ms", labels,
                List.of(new SvgChart.Series("device to map", "#2b7bba", mapP99),
                        new SvgChart.Series("device to alert subscriber", "#f0ad4e", alertP99)),
                // The two targets are too close on this scale for two labels: one line at the map's.
                List.of(new SvgChart.Line("targets: map 100 ms, alert 150 ms", 100)));
        SvgChart.Panel memory = new SvgChart.Panel("Node memory", "MiB", labels,
                List.of(new SvgChart.Series("live heap after GC", "#5cb85c", heap),
                        new SvgChart.Series("peak RSS", "#777", rss)), limits);
        String note = "one node, PostgreSQL (fsync on), the load generator and other work on the same 2 cores"
                + (copy == null ? "" : "; COPY of the same rows: " + SvgChart.format(copy.getLong("durablePerSecond"))
                + "/s");
        return SvgChart.render("Borderwatch scenarios, 1,000 fences", note, List.of(throughput, latency, memory));
    }

    private static double p99(JsonObject r, String key) {
        JsonObject h = r.getJsonObject(key);
        return h == null ? 0 : h.getDouble("p99");
    }
}
