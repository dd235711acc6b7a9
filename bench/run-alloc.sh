#!/usr/bin/env bash
# Bytes allocated per steady-state forward pass, every architecture of the zoo, batch 1 and 32, one and two threads,
# the calling thread and the kernel workers apart (AllocationBench). A count, not a time: it does not depend on the
# load of the machine, so it runs anywhere; anything but zero in a steady pass is a regression. See
# docs/BENCHMARKS.md, "Steady-state allocation".
#
#   bench/run-alloc.sh                                         # the whole zoo (several minutes: ResNet-50 at batch 32)
#   bench/run-alloc.sh --archs mobilenet_v2 --batches 1        # a few
#   bench/run-alloc.sh --classifier mobilenet_v2_1.0_224_quant # also ImageClassifier.predictBatch (weights in ../shared)
#   bench/run-alloc.sh --scalar                                # the scalar kernels (-Dlitenet.simd=false)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
source "$here/common.sh"
mkdir -p "$here/target"
build_bench_jar run-alloc "$here/target/bench-build.log"
flags=(--add-modules jdk.incubator.vector)
if [ "${1:-}" = "--scalar" ]; then flags+=(-Dlitenet.simd=false); shift; fi
if [ -z "${LITENET_SHARED:-}" ] && [ -d "$repo/../shared" ]; then export LITENET_SHARED="$repo/../shared"; fi
exec "$java" "${flags[@]}" -Xmx1g -cp "$jar" dev.litenet.bench.AllocationBench "$@"
