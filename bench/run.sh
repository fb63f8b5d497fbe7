#!/bin/sh
# Builds the node and the bench jar, then runs the named scenarios and baselines of issue 14 (all when none named):
#   bench/run.sh                      # every baseline and scenario, about eight minutes
#   bench/run.sh copy null-single naive-single http-single
# Settings: BW_BENCH_SECONDS (measured per scenario, 15), BW_BENCH_WARMUP (20), BW_BENCH_DB_URL, BW_BENCH_JAR,
# BW_BENCH_JAVA_OPTS (the node's JVM options, -Xmx1g). Results: bench/results/bench.json and bench/results/bench.svg.
set -e
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -DskipTests package
exec java -cp bench/target/borderwatch-bench.jar org.borderwatch.bench.Bench "$@"
