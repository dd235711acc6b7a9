#!/usr/bin/python3
"""Reference Grad-CAM maps of torchvision's MobileNetV2, made with Debian's python3-torch.

The usual hook-based recipe (Selvaraju et al. 2017; as in the pytorch-grad-cam package): a forward hook on the
block keeps its output A and a tensor hook its gradient; the class's logit is backpropagated; the weights are the
gradient's spatial mean per channel; the map is ReLU(sum_c w_c A_c). Raw maps, not rescaled or resized.

Reads the calibrated state_dict and the input from shared/fixtures/mobilenet_v2 and writes a small JSON
(src/test/resources/fixtures/gradcam_mobilenet_v2.json): for each case the image, the layer, the class, its logit
and the map, row by row, computed in float32 (torch's default, "map") and again in float64 ("map_f64"), with how far
the two are apart ("f32_vs_f64", relative to the map's largest value): the float32 recipe's own rounding, which at
features.13 of these calibrated random weights is about 1e-3 (the gradient there is ill-conditioned).

usage: /usr/bin/python3 tools/make_gradcam_fixture.py ../shared/fixtures/mobilenet_v2 litenet-core/src/test/resources/fixtures
"""
import json, os, sys
import numpy as np
import torch, torchvision

src, out = sys.argv[1], sys.argv[2]
state = torch.load(os.path.join(src, "mobilenet_v2_calib.pth"))
m = torchvision.models.mobilenet_v2()
m.load_state_dict(state)
m.eval()                                   # BatchNorm uses running stats; dropout off
m64 = torchvision.models.mobilenet_v2()
m64.load_state_dict(state)
m64.eval().double()
x32 = torch.from_numpy(np.fromfile(os.path.join(src, "input_2x3x224x224.f32"), dtype="<f4").reshape(2, 3, 224, 224))


def grad_cam(m, x, image, block, cls):
    """(map (h, w), logit, predicted class) of one image at features[block] for class cls (None: the predicted one)."""
    kept = {}

    def forward_hook(module, inputs, output):
        kept["activation"] = output
        output.register_hook(lambda g: kept.__setitem__("gradient", g))

    handle = m.features[block].register_forward_hook(forward_hook)
    try:
        m.zero_grad()
        logits = m(x[image:image + 1])
        predicted = int(logits[0].argmax())
        cls = predicted if cls is None else cls
        logits[0, cls].backward()
    finally:
        handle.remove()
    a, g = kept["activation"][0].detach(), kept["gradient"][0]        # (C, h, w)
    weights = g.mean(dim=(1, 2))
    cam = torch.relu((weights[:, None, None] * a).sum(dim=0))
    return cam, float(logits[0, cls]), cls, predicted


cases = []
for image, block, which in [(0, 18, "predicted"), (1, 18, "predicted"), (0, 18, "second"), (1, 13, "predicted")]:
    cls = None
    if which == "second":
        with torch.no_grad():
            cls = int(m(x32[image:image + 1])[0].argsort(descending=True)[1])
    cam, logit, cls, predicted = grad_cam(m, x32, image, block, cls)
    cam64 = grad_cam(m64, x32.double(), image, block, cls)[0]
    cases.append({"image": image, "layer": "features.%d" % block, "class": cls, "predicted": predicted, "logit": logit,
                  "height": cam.shape[0], "width": cam.shape[1], "max": float(cam.max()),
                  "f32_vs_f64": float((cam.double() - cam64).abs().max() / cam64.max()),
                  "map": [float(v) for v in cam.flatten()], "map_f64": [float(v) for v in cam64.flatten()]})
meta = {"made_with": {"torch": torch.__version__, "torchvision": torchvision.__version__},
        "recipe": "forward hook on features[i] keeps A, tensor hook keeps dlogit/dA; w = mean_hw(dA); map = relu(sum_c w_c A_c)",
        "input": "input_2x3x224x224.f32 (NCHW)", "weights": "mobilenet_v2_calib.pth", "cases": cases}
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "gradcam_mobilenet_v2.json"), "w") as f:
    json.dump(meta, f, indent=1)
print(json.dumps([{k: c[k] for k in ("image", "layer", "class", "predicted", "max", "f32_vs_f64")} for c in cases]))
