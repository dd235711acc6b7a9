#!/usr/bin/python3
"""State dicts made by torchvision itself, for tests of downloading and loading torchvision checkpoints.

For each architecture named, writes <out>/<arch>.pth: torch.save of torchvision.models.<arch>().state_dict()
(1000 classes, torchvision's own initialization from torch.manual_seed(0)): the keys, shapes and file format of
torchvision's published ImageNet weights, without their values.

usage: /usr/bin/python3 tools/make_torchvision_state_dicts.py OUT_DIR mobilenet_v3_small resnet50 ...
"""
import os, sys
import torch, torchvision

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for arch in sys.argv[2:]:
    torch.manual_seed(0)
    model = getattr(torchvision.models, arch)()
    torch.save(model.state_dict(), os.path.join(out, arch + ".pth"))
    print(arch, sum(p.numel() for p in model.parameters()))
