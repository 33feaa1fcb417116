#!/usr/bin/env python3
"""PyTorch's time for one training step of the seed CNN (SPEC section 2), for `npm run bench:train`.

Same step as the TF.js path: batch of N x 1 x 64 x 121, forward, MSE, backward, Adam(lr 1e-4).
Prints one JSON object: {"ms_per_step": median, "threads": n, "torch": version}.
Run with Debian's /usr/bin/python3:  bench_train_step.py [--threads 2] [--steps 20] [--warmup 3] [--batch 4]
    [--outputs 1] [--fine-tune]

--fine-tune: the personal calibration's step (src/training/personalize): the first three blocks
frozen and their output given (a window pool's row, N x 64 x 16 x 23), so only the last block
and the output layer run forward and backward; Adam(lr 1e-3) over those two layers.
"""
import argparse, json, time
import torch
import torch.nn as nn


class Seed(nn.Module):
    def __init__(self, channels=(16, 32, 64, 128), k=5, pad=7, flat=26624, outputs=1, start=0):
        super().__init__()
        ch = (1,) + tuple(channels)
        self.convs = nn.ModuleList(nn.Conv2d(ch[i], ch[i + 1], k, 1, pad) for i in range(len(channels)))
        self.fc = nn.Linear(flat, outputs)
        self.start = start

    def forward(self, x):
        for c in self.convs[self.start:]:
            x = nn.functional.avg_pool2d(torch.relu(c(x)), 2)
        return self.fc(torch.flatten(x, 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--outputs", type=int, default=1)
    ap.add_argument("--fine-tune", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    start = 3 if a.fine_tune else 0
    model = Seed(outputs=a.outputs, start=start)
    trained = [p for c in model.convs[start:] for p in c.parameters()] + list(model.fc.parameters())
    for c in model.convs[:start]:
        c.requires_grad_(False)
    opt = torch.optim.Adam(trained, lr=1e-3 if a.fine_tune else 1e-4)
    x = torch.rand(a.batch, 64, 16, 23) if a.fine_tune else torch.rand(a.batch, 1, 64, 121)
    y = torch.rand(a.batch, a.outputs) * 2 - 1

    def step():
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(json.dumps({"ms_per_step": times[len(times) // 2], "threads": a.threads, "fine_tune": a.fine_tune, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
