#!/usr/bin/python3
"""The PyTorch peer of `litenet bench`: torchvision's MobileNetV2 (random init, 1000 classes) on random input.

infer: eval mode under torch.no_grad(), NCHW float32.
train: one full step per iteration: zero_grad, forward in train mode (BatchNorm batch statistics, dropout),
cross-entropy, backward, Adam (lr 1e-3) over all parameters.
Prints one JSON object with the same fields as `litenet bench --json`, plus the BLAS/oneDNN torch was built with.

  /usr/bin/python3 bench/peers/torch_bench.py --mode infer --batch 32 --threads 2 --iterations 10 --warmup 3
  /usr/bin/python3 bench/peers/torch_bench.py --config      # torch.__config__.show()
"""
import argparse
import json
import os
import re
import statistics
import time

import torch
import torchvision


def peak_rss_mb():
    """VmHWM of /proc/self/status: the most memory this process ever had resident, as litenet bench reads it."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(re.sub(r"[^0-9]", "", line)) / 1024.0
    except OSError:
        pass
    return None


def loaded_blas_libraries():
    """The BLAS shared libraries this process has mapped (Debian's libblas.so.3 is whichever alternative is set)."""
    found = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                if re.search(r"(blas|mkl_|lapack)[^/]*\.so", path):
                    try:
                        found.add(os.path.realpath(path))
                    except OSError:
                        found.add(path)
    except OSError:
        pass
    return sorted(found)


def backends():
    """What torch computes with: its BLAS (Linear, matmul, and convolutions that miss oneDNN) and oneDNN (MKL-DNN)."""
    config = torch.__config__.show()
    blas = re.search(r"BLAS_INFO=([^,\s]+)", config)
    capability = re.search(r"CPU capability usage: (\S+)", config)
    return {
        "blas": blas.group(1) if blas else "unknown",
        "blas_libraries": loaded_blas_libraries(),
        "mkl": torch.backends.mkl.is_available(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "cpu_capability": capability.group(1) if capability else None,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mode", choices=["infer", "train"], default="infer")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--input-size", type=int, default=224)
    p.add_argument("--mult-adds", type=int, default=0, help="true multiply-adds per image, for GFLOP/s")
    p.add_argument("--config", action="store_true", help="print torch.__config__.show() and exit")
    a = p.parse_args()
    if a.config:
        print(torch.__config__.show())
        print(json.dumps(backends()))
        return
    if a.batch < 1 or a.iterations < 1 or a.warmup < 0 or a.threads < 1:
        p.error("--batch, --iterations and --threads must be at least 1, --warmup at least 0")

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = torchvision.models.mobilenet_v2(weights=None)
    x = torch.empty(a.batch, 3, a.input_size, a.input_size).uniform_(-1, 1)
    labels = torch.randint(0, 1000, (a.batch,))
    loss_value = None

    if a.mode == "infer":
        model.eval()

        def step():
            with torch.no_grad():
                model(x)
            return None
    else:
        model.train()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        criterion = torch.nn.CrossEntropyLoss()

        def step():
            optimizer.zero_grad()
            loss = criterion(model(x), labels)
            loss.backward()
            optimizer.step()
            return loss.item()

    for _ in range(a.warmup):
        step()
    samples = []
    for _ in range(a.iterations):
        t0 = time.perf_counter()
        loss_value = step()
        samples.append((time.perf_counter() - t0) * 1e3)

    median = statistics.median(samples)
    out = {
        "engine": "torch",
        "version": torch.__version__,
        "mode": a.mode,
        "model": "torchvision mobilenet_v2 (random init)",
        "batch": a.batch,
        "input_size": a.input_size,
        "threads": torch.get_num_threads(),
        "warmup": a.warmup,
        "iterations": a.iterations,
        "median_ms": median,
        "min_ms": min(samples),
        "max_ms": max(samples),
        "mean_ms": statistics.fmean(samples),
        "images_per_s": a.batch / (median / 1e3),
    }
    if a.mult_adds > 0:
        out["mult_adds_per_image"] = a.mult_adds
        out["gflops"] = 2.0 * a.mult_adds * a.batch * (3 if a.mode == "train" else 1) / (median / 1e3) / 1e9
    out["peak_rss_mb"] = peak_rss_mb()
    if loss_value is not None:
        out["loss"] = loss_value
    out.update(backends())
    out["samples_ms"] = samples
    print(json.dumps(out))


if __name__ == "__main__":
    main()
