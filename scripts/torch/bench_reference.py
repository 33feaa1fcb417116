#!/usr/bin/env python3
"""torchaudio / PyTorch timings of the stages `npm run bench` measures, for its ratios.

Run with Debian's /usr/bin/python3: `bench_reference.py THREADS`. `npm run bench` keeps it
running and interleaves its rounds with its own: after a line "ready" it reads one request
per line on stdin, `STAGE RUNS WARMUP`, and answers each with one JSON line
{"stage": ..., "ms": median milliseconds over RUNS calls}. Stages: mel_window,
resample_48k_1s, resample_44k1_1s, cnn_forward_b1. An unknown stage or a malformed line
gets {"error": ...}. Standard input closed: it exits.
"""
import json, sys, time
import torch, torchaudio


def median_ms(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    t = []
    for _ in range(runs):
        t0 = time.perf_counter(); fn(); t.append((time.perf_counter() - t0) * 1000)
    t.sort()
    return t[len(t) // 2]


class Seed(torch.nn.Module):
    """The seed CNN of SPEC section 2 (one output), as the project's buildCnn(SEED_PRESET)."""

    def __init__(self):
        super().__init__()
        ch = [1, 16, 32, 64, 128]
        self.convs = torch.nn.ModuleList(torch.nn.Conv2d(ch[i], ch[i + 1], 5, 1, 7) for i in range(4))
        self.fc = torch.nn.Linear(26624, 1)

    def forward(self, x):
        for c in self.convs:
            x = torch.nn.functional.avg_pool2d(torch.relu(c(x)), 2)
        return self.fc(torch.flatten(x, 1))


def stages():
    torch.manual_seed(0)
    x8k = torch.randn(1, 61500) * 0.1
    x48k = torch.randn(1, 48000) * 0.1
    x44k = torch.randn(1, 44100) * 0.1
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=8000, n_fft=1024, hop_length=512, n_mels=64)
    model = Seed().eval()
    inp = torch.randn(1, 1, 64, 121)
    return {
        "mel_window": lambda: mel(x8k),
        "resample_48k_1s": lambda: torchaudio.functional.resample(x48k, 48000, 8000),
        "resample_44k1_1s": lambda: torchaudio.functional.resample(x44k, 44100, 8000),
        "cnn_forward_b1": lambda: model(inp),
    }


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    table = stages()
    print("ready", flush=True)
    with torch.no_grad():
        for line in sys.stdin:
            parts = line.split()
            if not parts:
                continue
            try:
                stage, runs, warmup = parts[0], int(parts[1]), int(parts[2])
                if stage not in table:
                    raise ValueError(f"unknown stage {stage}")
                answer = {"stage": stage, "ms": median_ms(table[stage], runs, warmup)}
            except (ValueError, IndexError) as e:
                answer = {"error": f"bad request {line.strip()!r}: {e}"}
            print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
