#!/usr/bin/env python3
"""PyTorch reference training of the seed CNN (the student report's pipeline, SPEC section 2).

Used for comparison with the TypeScript training path and to produce weights that the
project imports through safetensors. Needs Debian's python3-torch and python3-torchaudio
(run with /usr/bin/python3). Not part of `npm test`.

  /usr/bin/python3 scripts/torch/train_reference.py --data ../shared/data/ravdess-16k \
      --out /tmp/seed.safetensors --epochs 30 --features db
"""
import argparse, json, math, os, random, sys, time
from pathlib import Path

import torch
import torch.nn as nn
import torchaudio

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# SPEC section 3: valence map v1 for RAVDESS emotion codes.
VALENCE = {1: 0.0, 2: 0.3, 3: 0.8, 4: -0.6, 5: -0.7, 6: -0.6, 7: -0.7, 8: 0.2}
INTENSITY = {1: 0.75, 2: 1.0}
WINDOW = 61500


HEADS = ("flatten", "time-mean")


class SeedCNN(nn.Module):
    """The seed CNN; outputs=2 adds arousal as the linear layer's second row (SPEC section 3);
    head="time-mean" averages the last map over time before the linear layer (src/model/config.ts)."""

    def __init__(self, channels=(16, 32, 64, 128), k=5, pad=7, outputs=1, head="flatten"):
        super().__init__()
        if head not in HEADS:
            raise ValueError(f"head must be one of {HEADS}, got {head!r}")
        chans = (1,) + tuple(channels)
        for i in range(len(channels)):
            setattr(self, f"conv{i+1}", nn.Conv2d(chans[i], chans[i + 1], k, 1, pad))
        self.n = len(channels)
        self.pool = nn.AvgPool2d(2)
        self.head = head
        self.fc = nn.Linear(128 * 13 * (1 if head == "time-mean" else 16), outputs)

    def forward(self, x):
        for i in range(self.n):
            x = self.pool(torch.relu(getattr(self, f"conv{i+1}")(x)))
        if self.head == "time-mean":
            x = x.mean(3)  # [N, C, H]: flattened in (C, H) order, as (C, H, 1)
        return self.fc(torch.flatten(x, 1))

    @staticmethod
    def for_weights(tensors):
        """The model whose shapes a state dict has: outputs from fc.weight's rows, the head from its width."""
        rows, width = tensors["fc.weight"].shape
        return SeedCNN(outputs=rows, head="time-mean" if width == 128 * 13 else "flatten")


def signal_8k(path):
    """A clip's mono samples at 8 kHz, whole (SPEC section 1: torchaudio's resampler)."""
    wav, sr = torchaudio.load(path)
    return torchaudio.functional.resample(wav.mean(0, keepdim=True), sr, 8000)  # [1, n]


def fix_length(wav, length=WINDOW):
    """The report's window: the first `length` samples, zero-padded at the end."""
    n = wav.shape[-1]
    return torch.nn.functional.pad(wav, (0, length - n)) if n < length else wav[..., :length]


_MEL = torchaudio.transforms.MelSpectrogram(sample_rate=8000, n_fft=1024, hop_length=512, n_mels=64)
_DB = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=80)


def window_features(wav, kind, normalisation=None):
    """Features of a [1, 61500] 8 kHz window, after the model's loudness normalisation if any
    (src/dsp/pipeline.ts windowFeatures)."""
    if normalisation is not None:
        from loudness import normalise_loudness
        wav = normalise_loudness(wav, normalisation)
    mel = _MEL(wav)
    if kind in ("db", "db-band-mean"):
        db = _DB(mel)
        if kind == "db-band-mean":
            db = remove_band_means(db, mel)
        mel = db
    return mel  # [1, 64, 121]


def features(path, kind, normalisation=None):
    return window_features(fix_length(signal_8k(path)), kind, normalisation)


def remove_band_means(db, power, range_db=25.0):
    """src/dsp/band-mean.ts: each band less its mean over the frames whose summed Mel power is
    within range_db of the loudest frame's; digital silence is left as it is."""
    level = power.double().sum(dim=-2)  # [1, frames]
    top = level.max()
    if not top > 0:
        return db
    speech = level >= top * 10 ** (-range_db / 10)
    mean = (db.double() * speech).sum(dim=-1, keepdim=True) / speech.sum()
    return (db.double() - mean).float()


def metrics(pred, y):
    pred, y = pred.double(), y.double()
    mse = torch.mean((pred - y) ** 2).item()
    mp, my = pred.mean(), y.mean()
    vp, vy = pred.var(unbiased=False), y.var(unbiased=False)
    cov = torch.mean((pred - mp) * (y - my))
    # src/training/metrics.ts: undefined when the labels do not vary (the 0 it gives measures nothing)
    ccc = (2 * cov / (vp + vy + (mp - my) ** 2)).item() if vy > 0 else float("nan")
    r = (cov / torch.sqrt(vp * vy)).item() if vp > 0 and vy > 0 else float("nan")
    nz = y != 0
    sign = (torch.sign(pred[nz]) == torch.sign(y[nz])).double().mean().item()
    return dict(mse=mse, ccc=ccc, pearson=r, sign_acc=sign)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--features", choices=["power", "db", "db-band-mean"], default="db")
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.manual_seed(a.seed); random.seed(a.seed)
    torch.set_num_threads(a.threads)
    files = sorted(Path(a.data).glob("Actor_*/*.wav"))
    X, Y, A = [], [], []
    for f in files:
        p = [int(v) for v in f.stem.split("-")]
        X.append(features(str(f), a.features)); Y.append(VALENCE[p[2]] * INTENSITY[p[3]]); A.append(p[6])
    X = torch.stack(X); Y = torch.tensor(Y, dtype=torch.float32)[:, None]; A = torch.tensor(A)
    tr, va = A <= 16, A >= 17
    Xtr, Ytr, Xva, Yva = X[tr], Y[tr], X[va], Y[va]
    print(f"train {len(Xtr)} val {len(Xva)}", flush=True)
    model = SeedCNN()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    best = None
    for ep in range(a.epochs):
        model.train(); t0 = time.time()
        perm = torch.randperm(len(Xtr))
        for i in range(0, len(perm), 4):
            idx = perm[i:i + 4]
            opt.zero_grad()
            loss = torch.mean((model(Xtr[idx]) - Ytr[idx]) ** 2)
            loss.backward(); opt.step()
        model.eval()
        with torch.no_grad():
            pv = torch.cat([model(Xva[i:i + 32]) for i in range(0, len(Xva), 32)])
        m = metrics(pv, Yva)
        print(json.dumps(dict(epoch=ep + 1, secs=round(time.time() - t0, 1), **m)), flush=True)
        if best is None or m["ccc"] > best[0]["ccc"]:
            best = (dict(epoch=ep + 1, **m), {k: v.detach().clone() for k, v in model.state_dict().items()})
    from safetensors_writer import write_safetensors
    write_safetensors(a.out, best[1], {"features": a.features, "best": json.dumps(best[0])})
    print("best", json.dumps(best[0]))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
