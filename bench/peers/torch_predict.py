#!/usr/bin/python3
"""The PyTorch peer of a one-shot `litenet predict`: the lesson's 9-line script, made to take files or folders.

torchvision's MobileNetV2 with a state_dict (.pth), PIL, Resize(256) + CenterCrop(224) + Normalize, eval mode,
torch.no_grad(), one photo at a time, the top 5 class indices and probabilities printed per photo.

  /usr/bin/python3 bench/peers/torch_predict.py WEIGHTS.pth IMAGE_OR_FOLDER...
"""
import os, sys, torch, torchvision
from PIL import Image
from torchvision import transforms as T
net = torchvision.models.mobilenet_v2(); net.load_state_dict(torch.load(sys.argv[1])); net.eval()
prep = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
files = [os.path.join(d, f) for a in sys.argv[2:] for d, _, fs in (os.walk(a) if os.path.isdir(a) else [("", 0, [a])]) for f in sorted(fs)]
for path in sorted(files):
    with torch.no_grad():
        p = net(prep(Image.open(path).convert("RGB")).unsqueeze(0)).softmax(1)[0]
    print(path, [(int(i), round(float(p[i]), 4)) for i in p.topk(5).indices])
