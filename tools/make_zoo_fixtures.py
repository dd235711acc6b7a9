#!/usr/bin/python3
"""Parity fixtures for the architecture zoo, made with Debian's python3-torch 1.13 and python3-torchvision 0.14.

Writes one small JSON per architecture, litenet-core/src/test/resources/fixtures/zoo/<arch>.json, and
torchvision_weights.json beside them (every entry of each architecture's *_Weights enum: url, hash prefix,
transforms, meta). No weights or input are stored: Python and Java make both from one formula, and a fixture holds
the formula's constants and what torchvision computes with them. ZooFixture.java reads the files.

usage (from the repository root):
    /usr/bin/python3 tools/make_zoo_fixtures.py                    # all architectures
    /usr/bin/python3 tools/make_zoo_fixtures.py resnet18 resnet50  # some
    /usr/bin/python3 tools/make_zoo_fixtures.py --tune efficientnet_b0   # suggest a BatchNorm weight scale
    /usr/bin/python3 tools/make_zoo_fixtures.py --weights-only     # torchvision_weights.json alone
All eight take about 10 minutes on two idle cores (float64 backward passes and 16 float32 runs each).

The formula.
  splitmix64(x): z = x + 0x9E3779B97F4A7C15; z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9;
                 z = (z ^ (z >>> 27)) * 0x94D049BB133111EB; return z ^ (z >>> 31)     (64-bit, wrapping)
  u(j, i) = (splitmix64((j << 32) + i) >>> 40) * 2^-24, exact in float32, in [0, 1)
  Entry j of state_dict() (buffers included, counted from 0) gets, for its element i in torch's row-major order,
  a float64 value rounded once to float32:
      rank >= 2 (conv / linear weight)   (2u - 1) * sqrt(weight_gain / fan_in),  fan_in = numel / shape[0]
      rank-1 "weight" (BatchNorm gamma)  a + b * u
      "bias"                             c * (2u - 1)
      "running_mean"                     d * (2u - 1)
      "running_var"                      e + f * u
      "num_batches_tracked"              0
  The input (2, 3, 160, 160) NCHW is 2u - 1 with j = 1_000_000.

The constants. weight_gain 6 (He-uniform), c = d = 0.1 and the variances e + f*u in [0.02, 1.02] are the same for
every architecture; the variances as small as 0.02 make BatchNorm's eps matter (1e-3 instead of 1e-5 moves the
logits by well over 1e-4 of the largest, measured below). With running statistics that are not the activations' own,
each BatchNorm multiplies the signal by about gamma / sqrt(var), and over 20 to 50 BatchNorms that is a geometric
series: gamma = s * (0.3 + 0.4u) with s chosen per architecture (GAMMA_SCALE, found with --tune) so that the eval
logits have a standard deviation near 2 (softmax neither flat nor saturated) and the two images' logits differ.

What a fixture holds. The state_dict's names, shapes, dtypes and formula kind in order; the parameter count;
multiply-adds of every Conv2d and Linear at 1x3x224x224 beside the GFLOPS torchvision documents; eps and momentum of
every BatchNorm; p of every Dropout and StochasticDepth; eval logits and the pooled features the classifier reads;
a train-mode step (BatchNorm batch statistics, Dropout and StochasticDepth in eval so it is deterministic): loss,
logits and the first BatchNorm's running statistics after it; a frozen-BatchNorm step (whole model in eval):
loss and, for about a dozen parameters, the gradient's norm, max |g| and 256 sampled entries plus the argmax.

Expected values come from the same model run in float64 (the exact answer for these float32 weights and input).
"torch_float32" beside them is how far torch's own float32 runs come from that answer at worst (float32_runs: 1 or
2 threads, oneDNN on or off, and for gradients 12 more runs on the input moved by one ulp here and there): the floor
a float32 implementation can be held to, and ZooFixture.java's tolerance is the project's or twice that floor. The
floor is about 1e-6 of the largest value for logits and most gradients, but where some activation lies within
float32 rounding of a ReLU, ReLU6 or hard-swish kink (or a max-pool window holds a near-tie), a float32 run takes
another backward path and the gradients upstream of it move by up to about 1e-2. No choice of constants avoids this:
MobileNetV2 has 6 million kink inputs at 160x160, and every scale s tried left a few of them within rounding.
Arrays are base64 of little-endian float32.
"""
import argparse
import base64
import copy
import json
import math
import os
import re
import sys

import numpy as np
import torch
import torchvision
from torchvision.models import get_model_weights
from torchvision.ops import StochasticDepth
from torchvision.ops.misc import SqueezeExcitation

OUT = os.path.join("litenet-core", "src", "test", "resources", "fixtures", "zoo")
INPUT_J, INPUT_SHAPE = 1_000_000, (2, 3, 160, 160)
LABELS = [281, 207]
CONSTANTS = {"weight_gain": 6.0, "c": 0.1, "d": 0.1, "e": 0.02, "f": 1.0}
# s of gamma = s * (0.3 + 0.4u): eval logit std near 2 (tools/make_zoo_fixtures.py --tune <arch>)
GAMMA_SCALE = {
    "mobilenet_v2": 0.95, "resnet18": 0.70, "mobilenet_v3_small": 1.04, "mobilenet_v3_large": 0.93,
    "efficientnet_b0": 1.18, "shufflenet_v2_x0_5": 1.00, "shufflenet_v2_x1_0": 0.95, "resnet50": 0.71,
}
# GFLOPS (multiply-adds, 1x3x224x224) torchvision documents: its weights' meta "_ops", added in torchvision 0.15
# (0.14's meta has no op count) for these same architectures
DOCUMENTED_GFLOPS = {
    "mobilenet_v2": 0.301, "resnet18": 1.814, "mobilenet_v3_small": 0.057, "mobilenet_v3_large": 0.217,
    "efficientnet_b0": 0.386, "shufflenet_v2_x0_5": 0.04, "shufflenet_v2_x1_0": 0.145, "resnet50": 4.089,
}
SAMPLES = 256
PERTURBED = 12


# ---- the formula -------------------------------------------------------------------------------------------------

def uniform(j, n):
    """u(j, i) for i in [0, n), float64 (exact float32 values)."""
    with np.errstate(over="ignore"):
        z = (np.uint64(j) << np.uint64(32)) + np.arange(n, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(40)).astype(np.float64) * 2.0 ** -24


def kind(name, tensor):
    if name.endswith("num_batches_tracked"):
        return "zero"
    if tensor.dim() >= 2:
        return "fan_in"
    for suffix, k in (("weight", "gamma"), ("bias", "bias"), ("running_mean", "mean"), ("running_var", "var")):
        if name.endswith(suffix):
            return k
    raise ValueError("no formula for " + name)


def values(k, j, shape, init):
    n = int(np.prod(shape, dtype=np.int64))
    u = uniform(j, n)
    if k == "fan_in":
        v = (2 * u - 1) * np.sqrt(init["weight_gain"] / (n // shape[0]))
    elif k == "gamma":
        v = init["a"] + init["b"] * u
    elif k == "bias":
        v = init["c"] * (2 * u - 1)
    elif k == "mean":
        v = init["d"] * (2 * u - 1)
    elif k == "var":
        v = init["e"] + init["f"] * u
    else:
        v = np.zeros(n)
    return v.astype(np.float32).reshape(shape)


def init_constants(arch):
    s = GAMMA_SCALE[arch]
    return dict(CONSTANTS, a=round(0.3 * s, 6), b=round(0.4 * s, 6))


def fill(model, init):
    state = {}
    for j, (name, t) in enumerate(model.state_dict().items()):
        state[name] = torch.from_numpy(values(kind(name, t), j, tuple(t.shape), init)).to(t.dtype)
    model.load_state_dict(state)


def make_input():
    return torch.from_numpy((2 * uniform(INPUT_J, int(np.prod(INPUT_SHAPE))) - 1).astype(np.float32).reshape(INPUT_SHAPE))


# ---- helpers -----------------------------------------------------------------------------------------------------

def f32(a):
    """An array as {"shape", "f32le": base64 of little-endian float32}."""
    a = np.asarray(a, dtype="<f4")
    return {"shape": list(a.shape), "f32le": base64.b64encode(a.tobytes()).decode("ascii")}


def g9(x):
    """A float with 9 significant digits (enough for float32), as the shortest JSON number."""
    return float(f"{float(x):.9g}")


def rel_max(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-300))


def float32_runs(model, x, fn, perturbed=False):
    """fn(copy of model, input) as other float32 implementations would compute it: torch with 1 or 2 threads and
    oneDNN convolutions on or off; if `perturbed`, also PERTURBED runs with about half the input's values moved by
    one float32 ulp (rounding noise as another implementation makes it; it moves the loss itself by about 1e-7, so
    it is for gradients only). Their worst distance from float64 is the floor a float32
    implementation can be held to: an activation within rounding of a ReLU, ReLU6 or hard-swish kink, or a max-pool
    near-tie, switches a backward path, and then one float32 run's gradients differ from another's by up to about
    1e-2 of their largest value."""
    out = []
    for threads in (1, 2):
        for onednn in (True, False):
            torch.set_num_threads(threads)
            with torch.backends.mkldnn.flags(enabled=onednn):
                out.append(fn(copy.deepcopy(model), x))
    torch.set_num_threads(2)
    for seed in range(1, PERTURBED + 1 if perturbed else 1):
        noise = torch.randn(x.shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
        out.append(fn(copy.deepcopy(model), (x.double() * (1 + 2.0 ** -23 * noise)).float()))
    return out


def head_name(model):
    return "classifier" if hasattr(model, "classifier") else "fc"


def stochastic_eval(model):
    """Train mode for BatchNorm; Dropout and StochasticDepth in eval, so a train-mode step is deterministic."""
    model.train()
    for mod in model.modules():
        if isinstance(mod, (torch.nn.Dropout, StochasticDepth)):
            mod.eval()


def forward_with_features(model, x):
    seen = {}
    hook = dict(model.named_modules())[head_name(model)].register_forward_pre_hook(
        lambda mod, inp: seen.__setitem__("features", inp[0].detach().clone()))
    y = model(x)
    hook.remove()
    return y, seen["features"]


def multiply_adds(model):
    """Multiply-adds of every Conv2d (out elements x in/groups x kh x kw) and Linear (in x out) at 1x3x224x224."""
    rows, hooks = [], []
    for name, mod in model.named_modules():
        if isinstance(mod, torch.nn.Conv2d):
            def conv(m, inp, out, name=name):
                kh, kw = m.kernel_size
                rows.append([name, "Conv2d", out.numel() * (m.in_channels // m.groups) * kh * kw])
            hooks.append(mod.register_forward_hook(conv))
        elif isinstance(mod, torch.nn.Linear):
            def lin(m, inp, out, name=name):
                rows.append([name, "Linear", out.numel() // m.out_features * m.in_features * m.out_features])
            hooks.append(mod.register_forward_hook(lin))
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, 224, 224))
    for h in hooks:
        h.remove()
    return rows


def frozen_bn_names(model):
    """First three parameters, three in the middle, the first squeeze-and-excitation fc1/fc2 weights, the last four."""
    names = [n for n, _ in model.named_parameters()]
    mid = len(names) // 2
    se = [n + s for n, m in model.named_modules() if isinstance(m, SqueezeExcitation) for s in (".fc1.weight", ".fc2.weight")][:2]
    picked = names[:3] + names[mid - 1:mid + 2] + se + names[-4:]
    return list(dict.fromkeys(picked))


def gradients(model, x, names):
    model.eval()
    model.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), torch.tensor(LABELS))
    loss.backward()
    params = dict(model.named_parameters())
    return float(loss), {n: params[n].grad.detach().numpy().ravel().astype(np.float64) for n in names}


# ---- one architecture --------------------------------------------------------------------------------------------

def build(arch, init):
    torch.manual_seed(0)                      # torchvision's own init is overwritten; this only keeps builds quiet
    model = getattr(torchvision.models, arch)(num_classes=1000)
    fill(model, init)
    return model


def make_fixture(arch):
    init = init_constants(arch)
    m32 = build(arch, init)
    m64 = copy.deepcopy(m32).double()
    x32 = make_input()
    x64 = x32.double()
    sd = m32.state_dict()
    head = head_name(m32)

    samples = {}                              # the formula's first values of each kind, for an exact check
    for j, (n, t) in enumerate(sd.items()):
        samples.setdefault(kind(n, t), [j, n, [float(v) for v in t.flatten()[:4].tolist()]])
    samples["input"] = [INPUT_J, "input", [float(v) for v in x32.flatten()[:4].tolist()]]
    macs = multiply_adds(copy.deepcopy(m32))
    total_macs = sum(r[2] for r in macs)
    bns = [[n, m.eps, m.momentum] for n, m in m32.named_modules() if isinstance(m, torch.nn.BatchNorm2d)]
    stochastic = [[n, type(m).__name__, m.p] for n, m in m32.named_modules() if isinstance(m, (torch.nn.Dropout, StochasticDepth))]

    # eval
    m64.eval()
    with torch.no_grad():
        logits, features = (t.numpy() for t in forward_with_features(m64, x64))
        swapped = copy.deepcopy(m64)
        for m in swapped.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.eps = 1e-3 if m.eps < 1e-4 else 1e-5
        eps_change = rel_max(swapped(x64).numpy(), logits)

    def eval32(model, x):
        with torch.no_grad():
            y, f = forward_with_features(model.eval(), x)
        return rel_max(y.numpy(), logits), rel_max(f.numpy(), features)
    eval_err = float32_runs(m32, x32, eval32)
    std = logits.std(axis=1)
    stats = {"logit_std": [g9(s) for s in std], "max_abs_logit": g9(np.abs(logits).max()),
             "image_difference_std": g9((logits[0] - logits[1]).std()), "argmax": [int(i) for i in logits.argmax(axis=1)],
             "eps_swapped_change": g9(eps_change)}

    # train-mode step: batch statistics, momentum
    first_bn = bns[0][0]
    labels = torch.tensor(LABELS)

    def train_step(model, x):
        stochastic_eval(model)
        with torch.no_grad():
            y = model(x)
        return y.numpy(), float(torch.nn.functional.cross_entropy(y, labels)), dict(model.named_modules())[first_bn]
    train_logits, train_loss, bn = train_step(copy.deepcopy(m64), x64)
    train_err = [(abs(r[1] - train_loss) / train_loss, rel_max(r[0], train_logits)) for r in float32_runs(m32, x32, train_step)]

    # frozen-BatchNorm step: gradients
    names = frozen_bn_names(m32)
    loss64, g64 = gradients(copy.deepcopy(m64), x64, names)
    runs32 = float32_runs(m32, x32, lambda m, x: gradients(m, x, names), perturbed=True)
    rng = np.random.default_rng(0)
    grads, grad_err = {}, {}
    for n in names:
        g = g64[n]
        idx = np.union1d(np.sort(rng.choice(g.size, size=min(SAMPLES, g.size), replace=False)), [int(np.argmax(np.abs(g)))])
        grads[n] = {"shape": list(sd[n].shape), "norm": float(np.linalg.norm(g)), "max_abs": float(np.abs(g).max()),
                    "argmax": int(np.argmax(np.abs(g))), "index": [int(i) for i in idx], "value": [g9(g[i]) for i in idx]}
        grad_err[n] = g9(max(rel_max(r[1][n], g) for r in runs32))

    fixture = {
        "arch": arch,
        "made_with": {"torch": torch.__version__, "torchvision": torchvision.__version__, "script": "tools/make_zoo_fixtures.py",
                      "builder": f"torchvision.models.{arch}(num_classes=1000)"},
        "about": "Weights and input from the formula in init (see the script's docstring); expected values from the "
                 "model in float64. torch_float32: how far torch's own float32 runs (1 or 2 threads, oneDNN on or off; for "
                 "gradients also 12 runs on the input moved by one ulp here and there) come from them at worst, relative "
                 "to the largest |value| (the loss: relative to itself).",
        "init": {"generator": "u(j,i) = (splitmix64((j << 32) + i) >>> 40) * 2^-24; j = entry index in state_dict order, i = flat row-major index",
                 "fan_in": "(2u-1) * sqrt(weight_gain / fan_in), fan_in = numel / shape[0]", "gamma": "a + b*u",
                 "bias": "c * (2u-1)", "mean": "d * (2u-1)", "var": "e + f*u", "zero": "0",
                 "rounding": "computed in float64, rounded once to float32",
                 **init, "input_j": INPUT_J, "input_shape": list(INPUT_SHAPE), "input": "2u-1, NCHW",
                 "samples": list(samples.values())},
        "num_params": sum(p.numel() for p in m32.parameters()),
        "state": [[n, list(t.shape), str(t.dtype).replace("torch.", ""), kind(n, t)] for n, t in sd.items()],
        "batchnorm": bns,
        "stochastic": stochastic,
        "multiply_adds_224": {"total": total_macs, "gmacs": g9(total_macs / 1e9), "documented_gflops": DOCUMENTED_GFLOPS[arch],
                              "documented_source": "torchvision weights meta _ops (torchvision >= 0.15; 0.14 has none)",
                              "layers": macs},
        "eval": {"head": head, "features_note": f"the input of {head}, as a forward pre-hook sees it",
                 "logits": f32(logits), "features": f32(features), **stats,
                 "torch_float32": {"logits": g9(max(e[0] for e in eval_err)), "features": g9(max(e[1] for e in eval_err))}},
        "train_step": {"mode": "train(); Dropout and StochasticDepth modules eval()", "labels": LABELS, "loss": train_loss,
                       "logits": f32(train_logits), "batchnorm": first_bn, "momentum": bn.momentum,
                       "running_mean": [g9(v) for v in bn.running_mean.numpy()],
                       "running_var": [g9(v) for v in bn.running_var.numpy()],
                       "num_batches_tracked": int(bn.num_batches_tracked),
                       "torch_float32": {"loss": g9(max(e[0] for e in train_err)), "logits": g9(max(e[1] for e in train_err))}},
        "frozen_bn_step": {"mode": "eval() for the whole model, cross_entropy(model(x), labels).backward()", "labels": LABELS,
                           "loss": loss64, "grads": grads,
                           "torch_float32": {"loss": g9(max(abs(r[0] - loss64) / loss64 for r in runs32[:4])), "grads": grad_err}},
    }
    return fixture


# ---- writing -----------------------------------------------------------------------------------------------------

def dumps(v, depth=0):
    """JSON with dicts opened up to depth 2 and lists of rows (lists or objects) one row a line; the rest compact."""
    pad = " " * (depth + 1)
    if isinstance(v, dict) and depth < 3 and not ("f32le" in v):
        return "{\n" + ",\n".join(f"{pad}{json.dumps(k)}: {dumps(x, depth + 1)}" for k, x in v.items()) + "\n" + " " * depth + "}"
    if isinstance(v, list) and v and all(isinstance(x, (list, dict)) for x in v):
        return "[\n" + ",\n".join(pad + json.dumps(x, separators=(",", ":")) for x in v) + "\n" + " " * depth + "]"
    return json.dumps(v, separators=(",", ":"))


def write(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(dumps(obj) + "\n")
    return os.path.getsize(path)


def problems(fx):
    """What makes a fixture worth having; any problem means: change GAMMA_SCALE (--tune) or the constants."""
    ev, out = fx["eval"], []
    if not all(0.5 <= s <= 10 for s in ev["logit_std"]):
        out.append(f"logit std {ev['logit_std']} outside [0.5, 10]")
    if not ev["max_abs_logit"] < 50:
        out.append(f"max |logit| {ev['max_abs_logit']}")
    if not ev["image_difference_std"] >= 0.03 * min(ev["logit_std"]):
        out.append(f"the two images' logits hardly differ ({ev['image_difference_std']})")
    if not ev["eps_swapped_change"] >= 1e-3:
        out.append(f"BatchNorm eps 1e-3 vs 1e-5 moves the logits by only {ev['eps_swapped_change']} of the largest")
    return out


def worst_gradient(fx):
    return max(fx["frozen_bn_step"]["torch_float32"]["grads"].values())


def tune(arch, target=2.0):
    """The gamma scale s whose eval logit std is `target`: geometric in s, so bisect its log."""
    x = make_input()
    lo, hi = 0.3, 3.0
    for _ in range(16):
        s = math.sqrt(lo * hi)
        GAMMA_SCALE[arch] = s
        with torch.no_grad():
            std = float(build(arch, init_constants(arch)).eval()(x).std(dim=1).mean())
        lo, hi = (lo, s) if not math.isfinite(std) or std > target else (s, hi)
    print(f"{arch}: s = {math.sqrt(lo * hi):.2f} gives an eval logit std near {target}")


def weights_table(archs):
    out = {}
    for arch in archs:
        enum = get_model_weights(arch)
        entries = []
        for w in enum:
            t = w.transforms()
            file = w.url.rsplit("/", 1)[1]
            metrics = w.meta["_metrics"]["ImageNet-1K"]
            entries.append({
                "name": w.name, "enum": f"{type(w).__name__}.{w.name}", "url": w.url, "file": file,
                "hash_prefix": re.search(r"-([a-f0-9]*)\.", file).group(1),   # torch.hub's HASH_REGEX
                "transforms": {"resize_size": list(t.resize_size), "crop_size": list(t.crop_size),
                               "interpolation": t.interpolation.value, "mean": list(t.mean), "std": list(t.std)},
                "num_params": w.meta["num_params"], "acc@1": metrics["acc@1"], "acc@5": metrics["acc@5"],
                "min_size": list(w.meta["min_size"]), "categories": len(w.meta["categories"]),
                "recipe": w.meta.get("recipe"), "docs": " ".join(w.meta.get("_docs", "").split()),
                "gflops_documented_later": DOCUMENTED_GFLOPS[arch]})
        out[arch] = {"builder": f"torchvision.models.{arch}", "enum": type(enum.DEFAULT).__name__,
                     "default": enum.DEFAULT.name, "weights": entries}
    return {"made_with": {"torchvision": torchvision.__version__, "script": "tools/make_zoo_fixtures.py"},
            "about": "torchvision 0.14's ImageNet weights per architecture: torch.hub checks that a file's sha256 starts "
                     "with hash_prefix; transforms are ImageClassification(resize_size, crop_size, interpolation, mean, std); "
                     "gflops_documented_later is the meta _ops of torchvision >= 0.15 (0.14 has none).",
            "architectures": out}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("archs", nargs="*", default=list(GAMMA_SCALE))
    p.add_argument("--out", default=OUT)
    p.add_argument("--tune", action="store_true", help="print a gamma scale for each arch instead of writing fixtures")
    p.add_argument("--weights-only", action="store_true", help="write torchvision_weights.json only")
    args = p.parse_args()
    torch.set_num_threads(2)
    for arch in args.archs:
        if arch not in GAMMA_SCALE:
            sys.exit(f"unknown architecture {arch}; known: {', '.join(GAMMA_SCALE)}")
    if args.tune:
        for arch in args.archs:
            tune(arch)
        return
    if args.weights_only:
        print(json.dumps({"torchvision_weights.json": write(os.path.join(args.out, "torchvision_weights.json"), weights_table(list(GAMMA_SCALE)))}))
        return
    for arch in args.archs:
        fx = make_fixture(arch)
        if problems(fx):
            sys.exit(f"{arch}: " + "; ".join(problems(fx)))
        size = write(os.path.join(args.out, arch + ".json"), fx)
        ev, tr, fr = fx["eval"], fx["train_step"], fx["frozen_bn_step"]
        print(json.dumps({"arch": arch, "bytes": size, "num_params": fx["num_params"], "gmacs": fx["multiply_adds_224"]["gmacs"],
                          "documented": fx["multiply_adds_224"]["documented_gflops"], "logit_std": ev["logit_std"],
                          "max_abs_logit": ev["max_abs_logit"], "image_difference_std": ev["image_difference_std"],
                          "argmax": ev["argmax"], "eps_swapped_change": ev["eps_swapped_change"],
                          "train_loss": tr["loss"], "frozen_loss": fr["loss"],
                          "f32": {"logits": ev["torch_float32"]["logits"], "train_loss": tr["torch_float32"]["loss"],
                                  "grads_max": worst_gradient(fx)}}), flush=True)
    size = write(os.path.join(args.out, "torchvision_weights.json"), weights_table(list(GAMMA_SCALE)))
    print(json.dumps({"torchvision_weights.json": size}))


if __name__ == "__main__":
    main()
