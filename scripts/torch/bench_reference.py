#!/usr/bin/env python3
"""torchaudio / PyTorch timings of the stages `npm run bench` measures, for its ratios.

Prints one JSON object: milliseconds (median) per stage. Run with Debian's /usr/bin/python3.
"""
import json, sys, time
import torch, torchaudio


def median_ms(fn, runs=30, warmup=3):
    for _ in range(warmup):
        fn()
    t = []
    for _ in range(runs):
        t0 = time.perf_counter(); fn(); t.append((time.perf_counter() - t0) * 1000)
    t.sort()
    return t[len(t) // 2]


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x8k = torch.randn(1, 61500) * 0.1
    x48k = torch.randn(1, 48000) * 0.1
    x44k = torch.randn(1, 44100) * 0.1
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=8000, n_fft=1024, hop_length=512, n_mels=64)

    class Seed(torch.nn.Module):
        def __init__(self):
            super().__init__()
            ch = [1, 16, 32, 64, 128]
            self.convs = torch.nn.ModuleList(torch.nn.Conv2d(ch[i], ch[i + 1], 5, 1, 7) for i in range(4))
            self.fc = torch.nn.Linear(26624, 1)

        def forward(self, x):
            for c in self.convs:
                x = torch.nn.functional.avg_pool2d(torch.relu(c(x)), 2)
            return self.fc(torch.flatten(x, 1))

    model = Seed().eval()
    inp = torch.randn(1, 1, 64, 121)
    with torch.no_grad():
        out = {
            "threads": threads,
            "mel_window": median_ms(lambda: mel(x8k)),
            "resample_48k_1s": median_ms(lambda: torchaudio.functional.resample(x48k, 48000, 8000)),
            "resample_44k1_1s": median_ms(lambda: torchaudio.functional.resample(x44k, 44100, 8000)),
            "cnn_forward_b1": median_ms(lambda: model(inp), runs=20),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
