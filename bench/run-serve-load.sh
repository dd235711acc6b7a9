#!/usr/bin/env bash
# Load test of `litenet serve` on loopback: 1, 4, 16, 64 clients posting real photos (raw JPEG) back to back,
# with batching on (the defaults: --max-batch 32 --max-delay-ms 5) and off (--max-batch 1), the server on
# --threads 2. Per row: images/s, p50/p99 latency, mean and largest batch, errors, the server's peak RSS so far
# and the 1-minute load average. The 1-client row is the sequential figure. See docs/SERVE.md.
#
#   bench/run-serve-load.sh [--seconds S] [--clients 1,4,16,64] [--port P]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
seconds=15
clients=1,4,16,64
port=18431
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift ;;
    --clients) clients="$2"; shift ;;
    --port) port="$2"; shift ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-serve-load: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
source "$here/common.sh"
build_jars run-serve-load /dev/stderr
photos="${LITENET_SHARED:-$repo/../shared}/data/cats-dogs/val"

echo "| batching | clients | images | images/s | p50 ms | p99 ms | mean batch | largest batch | errors | peak RSS MB | load |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for mode in on off; do
  extra=()
  [ "$mode" = off ] && extra=(--max-batch 1)
  "$repo/litenet" serve --weights mobilenet_v2_1.0_224_quant --port "$port" --threads 2 "${extra[@]}" >/dev/null &
  server=$!
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
  "$java" -cp "$jar" dev.litenet.bench.ServeLoad --url "http://127.0.0.1:$port" --pid "$server" \
    --photos "$photos" --clients "$clients" --seconds "$seconds" --label "$mode"
  kill -TERM "$server"
  wait "$server"
done
