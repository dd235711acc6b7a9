"""Writes torchvision's 1000 ImageNet class names, one per line in index order, to the resource LiteNet gives
torchvision weights: python3 tools/make_imagenet_labels.py (Debian's python3-torchvision)."""
from pathlib import Path

from torchvision.models._meta import _IMAGENET_CATEGORIES

out = Path(__file__).resolve().parent.parent / "litenet-core/src/main/resources/dev/litenet/models/imagenet_classes.txt"
assert len(_IMAGENET_CATEGORIES) == 1000
out.write_text("".join(c + "\n" for c in _IMAGENET_CATEGORIES))
print(f"wrote {out}")
