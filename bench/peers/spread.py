#!/usr/bin/python3
"""How much the speed moves from process to process and within one process, from bench/run-peers.sh's results.jsonl.

Process to process: for every case and engine, each fresh process's median milliseconds; the table gives how many
processes, the min, median and max of those medians and max/min (issue 24's goal: at most 1.15). Within one
process: the "long" case's runs (thousands of images at batch 1 on one thread, after the warm-up), cut into
successive windows of --window images; the table gives each window's median, the whole run's median and the largest
window median over it (goal: at most 1.15). Failed runs are listed, never counted.

  /usr/bin/python3 bench/peers/spread.py [--window 250] RESULTS.jsonl
"""
import json
import statistics
import sys

ENGINES = {"litenet": "LiteNet", "onnxruntime": "ORT", "torch": "torch"}
GOAL = 1.15


def load(path):
    runs = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                runs.setdefault(r["case"], {}).setdefault(r["engine"], []).append(r)
    return runs


def spread(runs):
    print("### Process to process: the median ms of each fresh process")
    print()
    print("| case | engine | processes | min | median | max | max / min | per process |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    failed = []
    for case, by_engine in runs.items():
        if case.startswith("long"):
            continue
        for engine, rs in by_engine.items():
            ok = [r["result"]["median_ms"] for r in rs if r["result"]]
            failed += [f"{case}, {engine}, round {r['round']}: {r.get('error', 'failed')}" for r in rs if not r["result"]]
            if not ok:
                continue
            lo, hi = min(ok), max(ok)
            flag = "" if hi / lo <= GOAL else " ✗"
            print(f"| {case} | {ENGINES.get(engine, engine)} | {len(ok)} | {lo:.2f} | {statistics.median(ok):.2f} | {hi:.2f} "
                  f"| **{hi / lo:.2f}**{flag} | {', '.join(f'{x:.1f}' for x in ok)} |")
    print()
    print(f"max / min: the slowest process's median over the fastest's; ✗ above {GOAL}.")
    return failed


def evidence(runs):
    """Per LiteNet process: its median beside what the JVM and the kernel did to it (load-independent counts)."""
    rows = []
    for case, by_engine in runs.items():
        for r in by_engine.get("litenet", []):
            res = r["result"]
            if res and "anon_huge_pages_mb" in res:
                rows.append((case, r["round"], res))
    if not rows:
        return
    print()
    print("### LiteNet processes: median ms beside memory in 2 MB pages, JIT and GC while timed")
    print()
    print("| case | process | median ms | anonymous MB | in 2 MB pages MB | warm-up iterations (JIT quiet) | JIT ms while timed | GCs while timed |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for case, rnd, res in rows:
        def f(key, fmt=".0f"):
            v = res.get(key)
            return "—" if v is None else format(v, fmt)
        print(f"| {case} | {rnd} | {res['median_ms']:.2f} | {f('anon_mb')} | {f('anon_huge_pages_mb')} "
              f"| {res.get('warmup_passes', '—')} ({'yes' if res.get('jit_quiet') else 'no'}) | {f('jit_ms_while_timed', 'd')} | {f('gcs_while_timed', 'd')} |")
    flags = sorted({" ".join(res.get("jvm_flags") or []) for _, _, res in rows})
    print()
    print("LiteNet's JVM flags: " + "; ".join(f"`{f}`" for f in flags))


def windows(runs, size):
    longs = {case: by for case, by in runs.items() if case.startswith("long")}
    if not longs:
        return []
    print()
    print(f"### Within one process: medians of successive {size}-image windows")
    print()
    print("| case | engine | images | warm-up | run median | max window / median | window medians |")
    print("|---|---|---:|---:|---:|---:|---|")
    failed = []
    for case, by_engine in longs.items():
        for engine, rs in by_engine.items():
            for r in rs:
                res = r["result"]
                if not res:
                    failed.append(f"{case}, {engine}: {r.get('error', 'failed')}")
                    continue
                samples = res["samples_ms"]
                whole = statistics.median(samples)
                meds = [statistics.median(samples[i:i + size]) for i in range(0, len(samples) - size + 1, size)]
                if not meds:
                    meds = [whole]
                worst = max(meds) / whole
                flag = "" if worst <= GOAL else " ✗"
                warm = res.get("warmup_passes", res.get("warmup"))
                print(f"| {case} | {ENGINES.get(engine, engine)} | {len(samples)} | {warm} | {whole:.2f} | **{worst:.2f}**{flag} "
                      f"| {', '.join(f'{m:.1f}' for m in meds)} |")
    print()
    print(f"The windows follow the warm-up (LiteNet's until its JIT was quiet); ✗ above {GOAL}.")
    return failed


def main(argv):
    size = 250
    if len(argv) >= 2 and argv[0] == "--window":
        size, argv = int(argv[1]), argv[2:]
    if len(argv) != 1 or size < 1:
        sys.exit(__doc__)
    runs = load(argv[0])
    failed = spread(runs) + windows(runs, size)
    evidence(runs)
    for f in failed:
        print(f"- failed: {f}")


if __name__ == "__main__":
    main(sys.argv[1:])
