#!/usr/bin/env bash
# LiteNet against its peers, side by side: for each case, rounds of LiteNet, ONNX Runtime, PyTorch, LiteNet, ...
# (one fresh process per run, the engines alternating so that drifts of the machine hit all of them alike), then
# a Markdown table of median milliseconds and LiteNet/peer ratios. See docs/BENCHMARKS.md.
#
#   bench/run-peers.sh [--quick] [--rounds R] [--cases REGEX] [--engines E,E] [--archs A,B,...] [--out DIR]
#                      [--iterations N] [--warmup W] [--long-run IMAGES] [--window W] [--litenet-opts "FLAGS"]
#
# --rounds: fresh processes per case and engine (default 3); the spread table gives min, median and max of their
#          medians and max/min (docs/BENCHMARKS.md, "Process-to-process spread": 20 for the measurement).
# --quick: one round of one iteration without warm-up per run, a smoke test of the tools, not a measurement.
# --cases: only the cases whose name matches REGEX (grep -E), e.g. "b32"; "^infer" leaves out training.
# --engines: only these engines (litenet, onnxruntime, torch), e.g. litenet,onnxruntime.
# --iterations, --warmup: every case's timed iterations and warm-up instead of its own (a short smoke run).
# --long-run: one more process per engine at batch 1 on one thread timing IMAGES images (0: none; default 3000),
#          its medians over successive windows of W images (--window, default 250) against the whole run's median.
# --litenet-opts: JVM flags added to LiteNet's (after the launcher's, so they win), for an A/B of one flag, e.g.
#          "-XX:ObjectAlignmentInBytes=8" (the JVM's default alignment) or "-XX:-UseTransparentHugePages".
# --archs: also the zoo's other architectures, inference at batch 1 on one thread and batch 32 on two, against ONNX
#          Runtime running the same torchvision architecture (exported by Debian's torch: tools/export_torchvision_onnx.py).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
python=/usr/bin/python3
shared="${LITENET_SHARED:-$repo/../shared}"
onnx="${LITENET_ONNX:-$shared/fixtures/mobilenet_v2/mobilenet_v2_calib.onnx}"

quick=0
rounds=3
only=""
out=""
archs=""
engines_only=""
iterations=""
warmup=""
long_run=3000
window=250
litenet_opts=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; rounds=1; long_run=0 ;;
    --rounds) rounds="$2"; shift ;;
    --engines) engines_only="${2//,/ }"; shift ;;
    --iterations) iterations="$2"; shift ;;
    --warmup) warmup="$2"; shift ;;
    --long-run) long_run="$2"; shift ;;
    --window) window="$2"; shift ;;
    --litenet-opts) litenet_opts="$2"; shift ;;
    --out) out="$2"; shift ;;
    --cases) only="$2"; shift ;;
    --archs) archs="$2"; shift ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-peers: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
out="${out:-$here/target/peers-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
results="$out/results.jsonl"
: >"$results"

source "$here/common.sh"

build_jars run-peers "$out/bench-build.log"

# LiteNet's heap is capped so that peak RSS shows the working set, not a heap the JVM grew because it could:
# inference holds one image's activations per thread; a batch-32 training step keeps about 1.1 GB of activations
# (one per ConvBNReLU, the other recomputed in backward).
infer_heap="${LITENET_INFER_HEAP:--Xmx512m}"
train_heap="${LITENET_TRAIN_HEAP:--Xmx1800m}"

# case name | mode | batch | threads | iterations | warm-up | engines
# The warm-up is long enough for HotSpot to have compiled LiteNet's kernels (about 200 single images, or 15 batches
# of 32), and LiteNet's goes on until the JIT is quiet (litenet bench --warmup-until-compiled; the JSON says how
# many iterations that took); every engine gets the same least warm-up, except that PyTorch (eager mode, nothing to compile, 5-10 s a batch of 32)
# gets at most 2 warm-up iterations.
cases=(
  "infer b1 t1|infer|1|1|100|200|litenet onnxruntime torch"
  "infer b1 t2|infer|1|2|100|200|litenet onnxruntime torch"
  "infer b32 t1|infer|32|1|5|15|litenet onnxruntime torch"
  "infer b32 t2|infer|32|2|5|15|litenet onnxruntime torch"
  "train b32 t2|train|32|2|5|3|litenet torch"
)
# the zoo's other architectures: LiteNet and ONNX Runtime on the same torchvision architecture
if [ -n "$archs" ]; then
  "$python" "$repo/tools/export_torchvision_onnx.py" "$out/onnx" ${archs//,/ } >"$out/onnx-export.log" 2>&1 \
    || { echo "run-peers: ONNX export failed; see $out/onnx-export.log" >&2; exit 1; }
  for a in ${archs//,/ }; do
    cases+=("infer b1 t1 $a|infer|1|1|50|200|litenet onnxruntime" "infer b32 t2 $a|infer|32|2|5|15|litenet onnxruntime")
  done
fi

# record CASE ROUND ENGINE STDOUT_FILE STDERR_FILE EXIT_CODE: one line of results.jsonl
record() {
  "$python" - "$@" >>"$results" <<'EOF'
import json, sys
case, rnd, engine, stdout, stderr, code = sys.argv[1:]
lines = [l for l in open(stdout).read().splitlines() if l.startswith("{")]
entry = {"case": case, "round": int(rnd), "engine": engine, "result": None}
if code == "0" and lines:
    entry["result"] = json.loads(lines[-1])
else:
    err = open(stderr).read().strip().splitlines()
    entry["error"] = f"exit {code}: " + (err[-1] if err else "no output")
print(json.dumps(entry))
EOF
}

run_engine() {   # ENGINE MODE BATCH THREADS ITERATIONS WARMUP [ARCH]
  local engine=$1 mode=$2 batch=$3 threads=$4 n=$5 w=$6 arch=${7:-}
  local model="$onnx"
  [ -n "$arch" ] && model="$out/onnx/$arch.onnx"
  case "$engine" in
    litenet) LITENET_JAVA_OPTS="$([ "$mode" = train ] && echo "$train_heap" || echo "$infer_heap") $litenet_opts" \
        "$repo/litenet" bench ${arch:+--arch "$arch"} --mode "$mode" --batch-size "$batch" --threads "$threads" --iterations "$n" --warmup "$w" --json ;;
    onnxruntime) "$java" --enable-native-access=ALL-UNNAMED -cp "$jar" dev.litenet.bench.OrtBench --model "$model" \
        --batch "$batch" --threads "$threads" --iterations "$n" --warmup "$w" ;;
    torch) "$python" "$here/peers/torch_bench.py" --mode "$mode" --batch "$batch" --threads "$threads" --iterations "$n" --warmup "$((w < 2 || batch == 1 ? w : 2))" ;;
  esac
}

# the long run: one process per engine at batch 1 on one thread, its windows of $window images
if [ "$long_run" -gt 0 ]; then
  cases+=("long b1 t1|infer|1|1|$long_run|200|litenet onnxruntime")
fi

for spec in "${cases[@]}"; do
  IFS='|' read -r name mode batch threads n w engines <<<"$spec"
  if [ -n "$only" ] && ! grep -qE "$only" <<<"$name"; then continue; fi
  if [ -n "$engines_only" ]; then
    keep=""
    for e in $engines; do [[ " $engines_only " == *" $e "* ]] && keep="$keep $e"; done
    engines="${keep# }"
  fi
  case_rounds=$rounds
  if [[ "$name" == long* ]]; then case_rounds=1; else
    [ -n "$iterations" ] && n=$iterations
    [ -n "$warmup" ] && w=$warmup
  fi
  if [ "$quick" = 1 ]; then n=1; w=0; fi
  for ((r = 1; r <= case_rounds; r++)); do
    for engine in $engines; do
      echo "run-peers: $name, round $r/$case_rounds, $engine" >&2
      code=0
      arch=""; [[ "$name" =~ ^infer\ b[0-9]+\ t[0-9]+\ (.+)$ ]] && arch="${BASH_REMATCH[1]}"
      run_engine "$engine" "$mode" "$batch" "$threads" "$n" "$w" "$arch" >"$out/last.out" 2>"$out/last.err" || code=$?
      record "$name" "$r" "$engine" "$out/last.out" "$out/last.err" "$code"
    done
  done
done
rm -f "$out/last.out" "$out/last.err"

{
  echo "## LiteNet vs ONNX Runtime vs PyTorch$([ "$quick" = 1 ] && echo ' (SMOKE RUN: --quick, 1 iteration, not a measurement)')"
  echo
  echo "$(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $("$java" -version 2>&1 | head -1)"
  echo
  "$python" "$here/peers/table.py" "$results"
  echo
  "$python" "$here/peers/spread.py" --window "$window" "$results"
} | tee "$out/table.md"
echo "run-peers: results in $out" >&2
