#!/bin/sh
# Builds the node and the bench jar, then runs the named scenarios and baselines of issue 14 (all when none named):
#   bench/run.sh                      # every baseline and scenario, about eight minutes
#   bench/run.sh copy null-single naive-single http-single
#   bench/run.sh all                  # and every other benchmark in BENCHMARKS.md after them
# Settings: BW_BENCH_SECONDS (measured per scenario, 15), BW_BENCH_WARMUP (20), BW_BENCH_DB_URL, BW_BENCH_JAR,
# BW_BENCH_JAVA_OPTS (the node's JVM options, -Xmx1g). Results: bench/results/bench.json and bench/results/bench.svg.
set -e
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -DskipTests package
bench() {
    java -cp bench/target/borderwatch-bench.jar "org.borderwatch.bench.$@"
}
if [ "$1" = all ]; then
    # Every benchmark whose figures BENCHMARKS.md gives, one after the other (the browser's web-map figures aside):
    # about 25 minutes once the history database is loaded, 40 the first time (BW_BENCH_HISTORY_REUSE=1 keeps it).
    bench Bench
    bench OverloadBenchmark 15
    bench CodecBenchmark 20
    bench LiveFrameBenchmark 20 200
    bench FenceChurnBenchmark
    bench HistoryBenchmark "${BW_BENCH_HISTORY_ROWS:-100000000}" --keep ${BW_BENCH_HISTORY_REUSE:+--reuse}
    exit
fi
bench Bench "$@"
