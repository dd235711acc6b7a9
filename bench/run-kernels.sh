#!/usr/bin/env bash
# JMH micro-benchmarks of LiteNet's kernels (GEMM of the 1×1 convs, depthwise forward/backward, the stem conv,
# BatchNorm folding); the gflop column is GFLOP/s. Builds bench/target/benchmarks.jar when sources changed, then
# passes every argument to JMH. See docs/BENCHMARKS.md.
#
#   bench/run-kernels.sh                                   # all, JMH settings from the annotations
#   bench/run-kernels.sh Depthwise -p threads=2            # a regex of benchmarks, a parameter
#   bench/run-kernels.sh -f 0 -wi 0 -i 1 -r 300ms          # smoke test, not a measurement
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
source "$here/common.sh"            # $java and $jar; only benchmarks.jar is needed here, not the CLI's jar
mkdir -p "$here/target"
build_bench_jar run-kernels "$here/target/bench-build.log"
exec "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar "$jar" "$@"
