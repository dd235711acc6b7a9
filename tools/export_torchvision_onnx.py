#!/usr/bin/python3
"""torchvision architectures as ONNX files, the peer inputs of bench/run-peers.sh --archs.

For each architecture named, writes OUT_DIR/<arch>.onnx: torchvision.models.<arch>() (1000 classes, torchvision's
own initialization from torch.manual_seed(0); the time of a forward does not depend on the weights) in eval mode,
exported by torch.onnx with opset 13, input "input" NCHW [N, 3, 224, 224] with a dynamic batch dimension, output
"logits".

usage: /usr/bin/python3 tools/export_torchvision_onnx.py OUT_DIR mobilenet_v3_large efficientnet_b0 ...
"""
import os, sys
import torch, torchvision

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for arch in sys.argv[2:]:
    torch.manual_seed(0)
    model = getattr(torchvision.models, arch)().eval()
    path = os.path.join(out, arch + ".onnx")
    torch.onnx.export(model, torch.randn(1, 3, 224, 224), path, opset_version=13, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    print(path)
