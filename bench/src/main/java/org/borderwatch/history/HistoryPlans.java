package org.borderwatch.history;

/**
 * The statements behind the history routes, for {@code HistoryBenchmark}'s EXPLAIN (ANALYZE, BUFFERS) output. It
 * sits in the server's package (on the benchmark's class path only) so the server keeps them package-private.
 */
public final class HistoryPlans {

    private HistoryPlans() {
    }

    /** A track or track export: $1 viewer, $2 unit ids, $3 from, $4 to, $5 gap seconds. */
    public static String track(boolean geoJson) {
        return HistorySql.vertices(HistorySql.TRACK_SOURCE, false, geoJson);
    }

    /** Who was inside: $1 viewer, $2 zone GeoJSON, $3 from, $4 to. */
    public static String within() {
        return HistorySql.WITHIN;
    }

    /** What a history stream sets in its transaction before its statement runs (a plan is made under it too). */
    public static String streamSettings() {
        return CursorStream.WORK_MEM;
    }

    /** One slice of a replay (the server reads 5 minutes per query): $1 viewer, $2 from, $3 before. */
    public static String replay() {
        return HistorySql.REPLAY_ALL;
    }
}
