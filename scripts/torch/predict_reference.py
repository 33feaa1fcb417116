#!/usr/bin/env python3
"""Valence (and arousal, for two outputs) of WAV files with torchaudio features and a PyTorch
seed CNN loaded from safetensors: the reference that `npm run analyze` (the report's rule)
must agree with. --card: a model card JSON whose "normalisation" (loudness) applies first.

  /usr/bin/python3 scripts/torch/predict_reference.py [--card card.json] WEIGHTS.safetensors db FILE...
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
    args = sys.argv[1:]
    normalisation = None
    if args[:1] == ["--card"]:
        from loudness import validate_normalisation
        with open(args[1]) as f:
            raw = json.load(f).get("normalisation")
        normalisation = None if raw is None else validate_normalisation(raw, f"{args[1]}: normalisation")
        args = args[2:]
    weights, kind, files = args[0], args[1], args[2:]
    tensors = read_safetensors(weights)
    model = SeedCNN.for_weights(tensors)
    model.load_state_dict(tensors)
    model.eval()
    with torch.no_grad():
        for f in files:
            y = model(features(f, kind, normalisation)[None])[0]
            row = {"file": f, "valence": y[0].item()}
            if y.numel() > 1:
                row["arousal"] = y[1].item()
            print(json.dumps(row))


if __name__ == "__main__":
    main()
