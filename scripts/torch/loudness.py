"""Loudness normalisation of an 8 kHz window in PyTorch: the Python twin of src/dsp/loudness.ts
(gated RMS over 512-sample blocks, absolute gate -70 dBFS, relative gate -10 dB; the window
scaled to the target level, by at most max_gain_db). scripts/torch-loudness.test.ts checks
it against the TypeScript pipeline on real clips, so a model trained here reads windows at
the level the app gives it."""
import math

import torch

BLOCK = 512  # one Mel hop
ABSOLUTE_GATE_DB = -70.0
RELATIVE_GATE_DB = -10.0
# src/dsp/loudness.ts DEFAULT_NORMALISATION
DEFAULT_NORMALISATION = {"kind": "gated-rms", "targetDb": -23.0, "maxGainDb": 50.0}


def gated_level_db(x):
    """Gated RMS level of a 1-D signal in dBFS, or None when nothing passes the absolute gate."""
    x = x.reshape(-1).double()
    n = x.numel()
    if n == 0:
        return None
    full = n // BLOCK
    sq = x * x
    blocks = [sq[: full * BLOCK].reshape(full, BLOCK).mean(dim=1)] if full else []
    if n > full * BLOCK:
        blocks.append(sq[full * BLOCK:].mean().reshape(1))
    m = torch.cat(blocks)
    loud = m[m >= 10 ** (ABSOLUTE_GATE_DB / 10)]
    if loud.numel() == 0:
        return None
    kept = loud[loud >= loud.mean() * 10 ** (RELATIVE_GATE_DB / 10)]
    return 10 * math.log10(kept.mean().item())


def normalisation_gain(x, norm):
    """The linear gain the normalisation `norm` (a card's dict) applies to x; 1 for silence."""
    level = gated_level_db(x)
    if level is None:
        return 1.0
    return 10 ** (min(norm["targetDb"] - level, norm["maxGainDb"]) / 20)


def normalise_loudness(x, norm):
    """x scaled to the target level (float32, like the TypeScript path)."""
    return (x.double() * normalisation_gain(x, norm)).float()


def validate_normalisation(raw, where="normalisation"):
    """A card's normalisation checked as validateNormalisation does; raises naming the field."""
    if not isinstance(raw, dict) or raw.get("kind") != "gated-rms":
        raise ValueError(f'{where}: kind must be "gated-rms", got {raw!r}')
    t, g = raw.get("targetDb"), raw.get("maxGainDb")
    if not isinstance(t, (int, float)) or not math.isfinite(t) or t > 0:
        raise ValueError(f"{where}: targetDb must be a number <= 0 (dBFS), got {t!r}")
    if not isinstance(g, (int, float)) or not math.isfinite(g) or g < 0:
        raise ValueError(f"{where}: maxGainDb must be a number >= 0, got {g!r}")
    return {"kind": "gated-rms", "targetDb": float(t), "maxGainDb": float(g)}
