#!/usr/bin/python3
"""Reference for a fine-tuning step with BatchNorm frozen (eval mode), made with Debian's python3-torch.

Reads the torchvision state_dict and input from shared/fixtures/mobilenet_v2 and writes a small JSON
(src/test/resources/fixtures/frozen_bn_step.json): the loss and, for 11 parameters, the gradient's norm,
largest |value| and 256 sampled entries (index, value). With BatchNorm in eval mode the gradients are
well-conditioned, so every one can be checked to 1e-3 of its largest value.

usage: /usr/bin/python3 tools/make_frozen_bn_fixture.py ../shared/fixtures/mobilenet_v2 src/test/resources/fixtures
"""
import json, os, sys
import numpy as np
import torch, torchvision

src, out = sys.argv[1], sys.argv[2]
m = torchvision.models.mobilenet_v2()
m.load_state_dict(torch.load(os.path.join(src, "mobilenet_v2_calib.pth")))
m.eval()                                   # BatchNorm uses running stats; dropout off
x = torch.from_numpy(np.fromfile(os.path.join(src, "input_2x3x224x224.f32"), dtype="<f4").reshape(2, 3, 224, 224))
labels = torch.tensor([281, 207])
loss = torch.nn.functional.cross_entropy(m(x), labels)
loss.backward()
names = ["features.0.0.weight", "features.0.1.weight", "features.0.1.bias",
         "features.2.conv.0.0.weight", "features.2.conv.1.0.weight", "features.2.conv.2.weight",
         "features.17.conv.1.0.weight", "features.18.0.weight", "features.18.1.weight",
         "classifier.1.weight", "classifier.1.bias"]
params = dict(m.named_parameters())
grads = {}
rng = np.random.default_rng(0)
for n in names:
    g = params[n].grad.detach().numpy().ravel().astype(np.float64)
    idx = np.sort(rng.choice(g.size, size=min(256, g.size), replace=False))
    idx = np.union1d(idx, [int(np.argmax(np.abs(g)))])
    grads[n] = {"shape": list(params[n].shape), "norm": float(np.linalg.norm(g)), "max_abs": float(np.abs(g).max()),
                "index": [int(i) for i in idx], "value": [float(g[i]) for i in idx]}
meta = {"made_with": {"torch": torch.__version__, "torchvision": torchvision.__version__},
        "mode": "eval (BatchNorm running stats, no dropout), gradients of all parameters",
        "labels": labels.tolist(), "loss": float(loss), "grads": grads}
os.makedirs(out, exist_ok=True)
json.dump(meta, open(os.path.join(out, "frozen_bn_step.json"), "w"), indent=1)
print(json.dumps({"loss": float(loss)}))
