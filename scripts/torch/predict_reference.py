#!/usr/bin/env python3
"""Valence of WAV files with torchaudio features and a PyTorch seed CNN loaded from
safetensors: the reference that `npm run analyze` (the report's rule) must agree with.

  /usr/bin/python3 scripts/torch/predict_reference.py WEIGHTS.safetensors db FILE...
"""
import json, struct, sys
import torch, torchaudio
sys.path.insert(0, __import__("os").path.dirname(__file__))
from train_reference import SeedCNN, features


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        a, b = h["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(h["shape"])
    return out


def main():
    weights, kind, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    model = SeedCNN()
    model.load_state_dict(read_safetensors(weights))
    model.eval()
    with torch.no_grad():
        for f in files:
            print(json.dumps({"file": f, "valence": model(features(f, kind)[None]).item()}))


if __name__ == "__main__":
    main()
