#!/usr/bin/env python3
"""The seed CNN's output in PyTorch for float32 inputs, or random weights to import: the
reference for the safetensors interchange of one- and two-output models (SPEC sections 2-3).

  /usr/bin/python3 scripts/torch/forward_reference.py forward WEIGHTS.safetensors IN.bin N OUT.bin
  /usr/bin/python3 scripts/torch/forward_reference.py random OUTPUTS SEED WEIGHTS.safetensors IN.bin N OUT.bin [HEAD]

The weights' shapes give the outputs and the head (flatten, or time-mean); random takes HEAD.

IN.bin: N x 1 x 64 x 121 little-endian float32; OUT.bin: N x OUTPUTS float32 (row-major).
"""
import os, sys
import torch
sys.path.insert(0, os.path.dirname(__file__))
from train_reference import SeedCNN
from predict_reference import read_safetensors
from safetensors_writer import write_safetensors


def read_input(path, n):
    with open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(n, 1, 64, 121)


def write_output(path, y):
    with open(path, "wb") as f:
        f.write(y.detach().contiguous().float().numpy().astype("<f4").tobytes())


def main():
    mode = sys.argv[1]
    if mode == "forward":
        weights, inp, n, out = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
        tensors = read_safetensors(weights)
        model = SeedCNN.for_weights(tensors)
        model.load_state_dict(tensors)
    elif mode == "random":
        outputs, seed, weights, inp, n, out = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6]), sys.argv[7]
        head = sys.argv[8] if len(sys.argv) > 8 else "flatten"
        torch.manual_seed(seed)
        model = SeedCNN(outputs=outputs, head=head)
        write_safetensors(weights, model.state_dict(), {"features": "db"})
        x = torch.randn(n, 1, 64, 121) * 20 - 40
        with open(inp, "wb") as f:
            f.write(x.numpy().astype("<f4").tobytes())
    else:
        raise SystemExit(f"unknown mode {mode}")
    model.eval()
    with torch.no_grad():
        write_output(out, model(read_input(inp, n)))


if __name__ == "__main__":
    main()
