#!/usr/bin/python3
"""Turns the results.jsonl written by bench/run-peers.sh into a Markdown table.

Each line is {"case": NAME, "round": R, "engine": E, "result": {...} or null, "error": TEXT}. For every case and
engine the figure is the median over rounds of each run's median milliseconds; the ratio is LiteNet's figure over
the peer's (below 1: LiteNet is faster). GFLOP/s use LiteNet's true multiply-adds per image of the case's
architecture for every engine (the same torchvision architecture), a training step counted as three forwards. Peak RSS is the largest of the rounds.

  /usr/bin/python3 bench/peers/table.py RESULTS.jsonl
"""
import json
import statistics
import sys

ENGINES = [("litenet", "LiteNet"), ("onnxruntime", "ORT"), ("torch", "torch")]


def main(path):
    cases, runs = [], {}
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if r["case"].startswith("long"):        # the long run's windows: spread.py
                continue
            if r["case"] not in cases:
                cases.append(r["case"])
            runs.setdefault((r["case"], r["engine"]), []).append(r)

    def case_macs(case):       # LiteNet's count of the case's architecture
        return next((r["result"]["mult_adds_per_image"] for r in runs.get((case, "litenet"), []) if r["result"]), None)

    def figure(case, engine):
        macs = case_macs(case)
        rs = [r for r in runs.get((case, engine), []) if r["result"]]
        if not rs:
            failed = runs.get((case, engine))
            return None if not failed else {"error": failed[0].get("error", "failed")}
        res = [r["result"] for r in rs]
        median = statistics.median(x["median_ms"] for x in res)
        work = 2.0 * macs * res[0]["batch"] * (3 if res[0]["mode"] == "train" else 1) if macs else None
        return {"median_ms": median, "rounds": len(rs), "images_per_s": res[0]["batch"] / (median / 1e3),
                "gflops": work / (median / 1e3) / 1e9 if work else None,
                "rss": max((x.get("peak_rss_mb") or 0) for x in res)}

    def ms(f):
        return "—" if f is None else "failed" if "error" in f else f"{f['median_ms']:.1f}"

    def ratio(a, b):
        if a is None or b is None or "error" in a or "error" in b:
            return "—"
        return f"**{a['median_ms'] / b['median_ms']:.2f}**"

    def num(f, key, fmt):
        return "—" if f is None or "error" in f or f.get(key) is None else format(f[key], fmt)

    head = ["case"] + [f"{n} ms" for _, n in ENGINES] + ["LiteNet / ORT", "LiteNet / torch"] \
        + [f"{n} GFLOP/s" for _, n in ENGINES] + [f"{n} peak RSS MB" for _, n in ENGINES]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    for case in cases:
        f = {e: figure(case, e) for e, _ in ENGINES}
        row = [case] + [ms(f[e]) for e, _ in ENGINES] \
            + [ratio(f["litenet"], f["onnxruntime"]), ratio(f["litenet"], f["torch"])] \
            + [num(f[e], "gflops", ".1f") for e, _ in ENGINES] + [num(f[e], "rss", ".0f") for e, _ in ENGINES]
        print("| " + " | ".join(row) + " |")
    rounds = sorted({len(v) for v in runs.values()})
    print()
    print(f"Median ms over {'/'.join(map(str, rounds))} alternating round(s) per engine; ratio = LiteNet / peer "
          f"(below 1: LiteNet faster).")
    for (case, engine), rs in runs.items():
        for r in rs:
            if not r["result"]:
                print(f"- {case}, {engine}, round {r['round']}: {r.get('error', 'failed')}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
