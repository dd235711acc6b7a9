#!/usr/bin/python3
"""PIL's resize of a small synthetic image, the reference for LiteNet's Resize (bilinear and bicubic).

The image is computed, not stored: pixel (x, y), channel c = (37x + 91y + 53c + 7xy) mod 256, 40 wide, 30 high,
RGB uint8. It is resized down (to 13x9) and up (to 57x41) with BILINEAR and BICUBIC, as torchvision's Resize does
on PIL images, and every output value is written.

usage: /usr/bin/python3 tools/make_resize_fixture.py litenet-core/src/test/resources/fixtures/resize_pil.json
"""
import json, sys
from PIL import Image
import PIL

W, H = 40, 30
img = Image.new("RGB", (W, H))
img.putdata([tuple((37 * x + 91 * y + 53 * c + 7 * x * y) % 256 for c in range(3)) for y in range(H) for x in range(W)])
cases = []
for filt, name in [(Image.BILINEAR, "bilinear"), (Image.BICUBIC, "bicubic")]:
    for w, h in [(13, 9), (57, 41)]:
        out = img.resize((w, h), filt)
        cases.append({"filter": name, "width": w, "height": h, "rgb": [v for px in out.getdata() for v in px]})
json.dump({"made_with": {"PIL": PIL.__version__}, "width": W, "height": H,
           "pixel": "(37x + 91y + 53c + 7xy) mod 256", "cases": cases}, open(sys.argv[1], "w"))
