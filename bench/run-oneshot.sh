#!/usr/bin/env bash
# One-shot prediction, whole processes side by side: `./litenet predict` (the launcher with its defaults), the
# PyTorch script (bench/peers/torch_predict.py) and ONNX Runtime's Java API (dev.litenet.bench.OrtPredict), each a
# fresh process per run, the engines alternating round by round; /usr/bin/time gives wall, CPU (user + sys) and
# peak RSS; the table shows medians over the rounds. See docs/BENCHMARKS.md, "One-shot predict".
#
#   bench/run-oneshot.sh [--rounds R] [--photos "N ..."] [--out DIR] [--engines "litenet torch onnxruntime"]
#                        [--baseline OTHER/litenet]
#
# --baseline: also run another checkout's launcher (engine litenet-baseline), e.g. a build from before a change.
# Cases: one photo, and a folder of N photos for each N (default 10 and 100: the first N/2 cats and dogs of
# shared/data/cats-dogs/val).
# Weights: LiteNet mobilenet_v2_1.0_224_quant (from $LITENET_SHARED/weights, default ../shared); PyTorch and ORT
# torchvision's MobileNetV2 from shared/fixtures/mobilenet_v2 (.pth, .onnx), the same architecture and input size.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
python=/usr/bin/python3
export LITENET_SHARED="${LITENET_SHARED:-$repo/../shared}"
shared="$LITENET_SHARED"
rounds=5
photos="10 100"
out=""
engines="litenet torch onnxruntime"
baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift ;;
    --photos) photos="$2"; shift ;;
    --out) out="$2"; shift ;;
    --engines) engines="$2"; shift ;;
    --baseline) baseline="$2"; engines="litenet-baseline $engines"; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-oneshot: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
out="${out:-$here/target/oneshot-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
results="$out/results.jsonl"
: >"$results"

source "$here/common.sh"

build_jars run-oneshot "$out/bench-build.log"
[ -z "$baseline" ] || "$baseline" summary >/dev/null        # the baseline's jar (and cache) made before any timed run

photo="$shared/data/cats-dogs/val/cat/$(ls "$shared/data/cats-dogs/val/cat" | sort | head -1)"
specs=("one photo|1|$photo")
for n in $photos; do
  folder="$out/photos-$n"
  mkdir -p "$folder"
  { ls "$shared/data/cats-dogs/val/cat" | sort | head -$((n / 2)) | sed "s|^|$shared/data/cats-dogs/val/cat/|"
    ls "$shared/data/cats-dogs/val/dog" | sort | head -$((n - n / 2)) | sed "s|^|$shared/data/cats-dogs/val/dog/|"
  } | while read -r f; do ln -sf "$f" "$folder/"; done
  specs+=("$n photos|$n|$folder")
done
pth="$shared/fixtures/mobilenet_v2/mobilenet_v2_calib.pth"
onnx="$shared/fixtures/mobilenet_v2/mobilenet_v2_calib.onnx"

command_of() {   # ENGINE INPUT: sets cmd
  case "$1" in
    litenet) cmd=("$repo/litenet" predict --weights mobilenet_v2_1.0_224_quant "$2") ;;
    litenet-baseline) cmd=("$baseline" predict --weights mobilenet_v2_1.0_224_quant "$2") ;;
    torch) cmd=("$python" "$here/peers/torch_predict.py" "$pth" "$2") ;;
    onnxruntime) cmd=("$java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$jar" dev.litenet.bench.OrtPredict "$onnx" "$2") ;;
  esac
}

for spec in "${specs[@]}"; do
  IFS='|' read -r name count input <<<"$spec"
  for ((r = 1; r <= rounds; r++)); do
    for engine in $engines; do
      echo "run-oneshot: $name, round $r/$rounds, $engine" >&2
      code=0
      command_of "$engine" "$input"
      /usr/bin/time -f "%e %U %S %M" -o "$out/last.time" "${cmd[@]}" >"$out/last.out" 2>"$out/last.err" || code=$?
      read -r wall user sys rss <"$out/last.time"
      printed=$(grep -c . "$out/last.out" || true)
      echo "{\"case\": \"$name\", \"photos\": $count, \"round\": $r, \"engine\": \"$engine\", \"exit\": $code, \"wall_s\": $wall, \"cpu_s\": $(awk "BEGIN { print $user + $sys }"), \"peak_rss_mb\": $((rss / 1024)), \"lines\": $printed}" >>"$results"
    done
  done
done
rm -f "$out/last.out" "$out/last.err" "$out/last.time"

{
  echo "## One-shot predict, whole processes: LiteNet CLI vs PyTorch script vs ONNX Runtime Java"
  echo
  echo "$(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $("$java" -version 2>&1 | head -1), load before: $(cut -d' ' -f1-3 /proc/loadavg), $rounds rounds"
  echo
  "$python" - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cases = list(dict.fromkeys(r["case"] for r in rows))
engines = list(dict.fromkeys(r["engine"] for r in rows))
print("| case | engine | wall s | per photo ms | CPU s | peak RSS MB | LiteNet / engine (wall) | runs (wall s) |")
print("|---|---|---:|---:|---:|---:|---:|---|")
for c in cases:
    ok = {e: [r for r in rows if r["case"] == c and r["engine"] == e and r["exit"] == 0] for e in engines}
    med = {e: statistics.median(r["wall_s"] for r in ok[e]) for e in engines if ok[e]}
    for e in engines:
        rs = [r for r in rows if r["case"] == c and r["engine"] == e]
        if not ok[e]:
            print(f"| {c} | {e} | failed | | | | | |"); continue
        w, n = med[e], ok[e][0]["photos"]
        ratio = "" if e == "litenet" or "litenet" not in med else "**%.2f**" % (med["litenet"] / w)
        print(f"| {c} | {e} | {w:.2f} | {1000 * w / n:.0f} | {statistics.median(r['cpu_s'] for r in ok[e]):.2f} | "
              f"{statistics.median(r['peak_rss_mb'] for r in ok[e]):.0f} | {ratio} | "
              f"{' '.join('%.2f' % r['wall_s'] for r in rs)} |")
PY
} | tee "$out/table.md"
echo "run-oneshot: results in $out" >&2
