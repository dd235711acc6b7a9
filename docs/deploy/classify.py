"""Classify photos with a LiteNet ONNX file in ONNX Runtime (pip install onnxruntime onnx pillow numpy).

    python3 classify.py cats-dogs.onnx photo.jpg [photo2.jpg ...]

The file carries its labels and preprocessing in metadata_props; this script prepares each photo exactly as LiteNet
does (central crop, resize with the same filter, centre crop, (pixel - offset) / scale), runs the batch, and prints
the top class of each photo.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image


def tf_bilinear(x, out_h, out_w):
    """TensorFlow 1's resize_bilinear (no antialiasing, no half-pixel centres): Google's MobileNet preprocessing."""
    def taps(n_in, n_out):
        at = np.arange(n_out) * (n_in / n_out)
        lo = np.floor(at).astype(int)
        return lo, np.minimum(lo + 1, n_in - 1), (at - lo).astype(np.float32)
    lo, hi, f = taps(x.shape[1], out_w)
    x = x[:, lo] * (1 - f)[None, :, None] + x[:, hi] * f[None, :, None]
    lo, hi, f = taps(x.shape[0], out_h)
    return x[lo] * (1 - f)[:, None, None] + x[hi] * f[:, None, None]


def prepare(path, pre):
    """A photo as the model's input, (3, S, S) float32, following the file's 'preprocess' metadata."""
    image = Image.open(path).convert("RGB")
    if pre["central_fraction"] < 1:                      # TF-slim: keep the central part of each side
        w, h = image.size
        top, left = int((h - h * pre["central_fraction"]) / 2), int((w - w * pre["central_fraction"]) / 2)
        image = image.crop((left, top, w - left, h - top))
    w, h = image.size
    if pre["resize_shorter_side"] > 0:                   # torchvision: the shorter side to a size
        s = pre["resize_shorter_side"]
        size = (s, s * h // w) if w <= h else (s * w // h, s)
    else:
        size = (pre["resize_width"], pre["resize_height"])
    filter_ = pre.get("interpolation", "bilinear")
    if filter_ == "tf_bilinear":
        x = tf_bilinear(np.asarray(image, np.float32), size[1], size[0])
    else:
        x = np.asarray(image.resize(size, Image.BICUBIC if filter_ == "bicubic" else Image.BILINEAR), np.float32)
    if pre["crop_size"] > 0:                             # torchvision: centre crop
        c = pre["crop_size"]
        top, left = int(round((x.shape[0] - c) / 2)), int(round((x.shape[1] - c) / 2))
        x = x[top:top + c, left:left + c]
    x = (x - np.array(pre["offset"], np.float32)) / np.array(pre["scale"], np.float32)
    return x.transpose(2, 0, 1)                          # NHWC -> NCHW, as the ONNX file takes it


def main(model_path, photos):
    meta = {p.key: p.value for p in onnx.load(model_path).metadata_props}
    labels, pre = json.loads(meta["labels"]), json.loads(meta["preprocess"])
    session = ort.InferenceSession(model_path)
    batch = np.stack([prepare(p, pre) for p in photos]).astype(np.float32)
    logits, probabilities = session.run(["logits", "probabilities"], {"image": batch})
    for photo, p in zip(photos, probabilities):
        print(f"{photo}: {labels[int(p.argmax())]} {float(p.max()):.3f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
