"""The data side of train_ddp.py: manifests (SPEC section 3, as src/training/corpus.ts reads
them), each corpus split by speaker (src/training/corpus-split.ts's default), the epoch order
with each corpus's equal share (src/training/balance.ts) cut into per-rank batches, the
8 kHz signals kept in shards on disk, and the augmented training windows."""
import csv, hashlib, io, math, os, re
from pathlib import Path

import torch
import torchaudio

from loudness import gated_level_db
from train_reference import WINDOW, fix_length, signal_8k, window_features

COLUMNS = ("path", "valence", "speaker", "arousal")
SHARD_CLIPS = 256


class DataError(Exception):
    pass


def _label(text, what, where):
    t = (text or "").strip()
    if t == "":
        return None
    try:
        v = float(t)
    except ValueError:
        raise DataError(f'{where}: {what} must be a number in [-1, 1], got "{text}"')
    if not math.isfinite(v):
        raise DataError(f'{where}: {what} must be a number in [-1, 1], got "{text}"')
    if v < -1 or v > 1:
        raise DataError(f"{where}: {what} {v:g} is outside [-1, 1]")
    return v


def read_manifest(file):
    """A manifest's clips: dicts of path (resolved against the CSV's folder), valence, arousal
    (None: unknown), speaker (the file's folder name when the row has none) and corpus (the
    CSV's name). Raises DataError naming the file and line of a bad row."""
    file = Path(file)
    if not file.is_file():
        raise DataError(f"no such manifest: {file}")
    corpus, base = file.stem, file.resolve().parent
    text = file.read_text(encoding="utf-8-sig")
    columns, clips = None, []
    for line, raw in enumerate(text.splitlines(), 1):
        where = f"{file}:{line}"
        if raw.strip() == "" or raw.lstrip().startswith("#"):
            continue
        fields = next(csv.reader(io.StringIO(raw)))
        if columns is None:
            names = [f.strip().lower() for f in fields]
            header = (all(n in COLUMNS for n in names) and len(set(names)) == len(names) and "path" in names
                      and ("valence" in names or "arousal" in names))
            columns = names if header else list(COLUMNS)
            if header:
                continue
        if len(fields) < 2 or len(fields) > len(columns):
            raise DataError(f"{where}: expected {','.join(columns)}, got {len(fields)} field(s)")
        cell = lambda c: fields[columns.index(c)] if c in columns and columns.index(c) < len(fields) else None
        path = (cell("path") or "").strip()
        if path == "":
            raise DataError(f"{where}: empty path")
        valence, arousal = _label(cell("valence"), "valence", where), _label(cell("arousal"), "arousal", where)
        if valence is None and arousal is None:
            raise DataError(f"{where}: neither valence nor arousal is given")
        full = Path(path) if Path(path).is_absolute() else base / path
        speaker = cell("speaker")
        if speaker is not None and speaker.strip() == "":
            raise DataError(f"{where}: empty speaker (leave the column out to use the folder name)")
        clips.append(dict(path=str(full), valence=valence, arousal=arousal, corpus=corpus,
                          speaker=speaker.strip() if speaker is not None else full.parent.name))
    if not clips:
        raise DataError(f"manifest {file} lists no clips")
    return clips


def speakers_of(clips):
    """Distinct speakers, sorted (numeric ids by value), as src/training/split.ts speakersOf."""
    s = {c["speaker"] for c in clips}
    return sorted(s, key=lambda x: (0, int(x), "") if re.fullmatch(r"\d+", x) else (1, 0, x))


def split_corpus(clips):
    """(train, val, val speakers): the last max(1, round(n / 5)) speakers validate."""
    sp = speakers_of(clips)
    if len(sp) < 2:
        raise DataError(f'corpus "{clips[0]["corpus"]}" has {len(sp)} speaker(s): it cannot be split by speaker')
    val = set(sp[len(sp) - max(1, int(math.floor(len(sp) / 5 + 0.5))):])
    return [c for c in clips if c["speaker"] not in val], [c for c in clips if c["speaker"] in val], sorted(val, key=sp.index)


def epoch_order(corpus_of, balance, g):
    """Indices of one epoch: every corpus gets n / (number of corpora) draws from its own
    shuffled clips, cycling when its share exceeds its size, then all shuffled together."""
    n = len(corpus_of)
    groups = {}
    for i, c in enumerate(corpus_of):
        groups.setdefault(c, []).append(i)
    if balance == "none" or len(groups) <= 1:
        return torch.randperm(n, generator=g).tolist()
    names = sorted(groups)
    base = n // len(names)
    order = []
    for k, name in enumerate(names):
        members, share, pass_ = groups[name], base + (1 if k < n - base * len(names) else 0), []
        for _ in range(share):
            if not pass_:
                pass_ = [members[j] for j in torch.randperm(len(members), generator=g).tolist()]
            order.append(pass_.pop())
    return [order[j] for j in torch.randperm(len(order), generator=g).tolist()]


class BalancedDistributedSampler(torch.utils.data.Sampler):
    """DistributedSampler with the per-corpus balance: every rank draws the same epoch order
    (seed + epoch), padded to whole global batches, and takes positions rank, rank + world, ...
    So step s of every rank together is global batch s of a one-process run, whatever the
    world size. Yields (position, clip index): the position seeds that window's augmentation."""

    def __init__(self, corpus_of, batch, rank, world, seed=0, balance="corpus"):
        if batch % world:
            raise DataError(f"--batch-size {batch} must be a multiple of the world size {world}")
        self.corpus_of, self.batch, self.rank, self.world, self.seed, self.balance = corpus_of, batch, rank, world, seed, balance
        self.epoch = 0

    def set_epoch(self, epoch):
        self.epoch = epoch

    def _order(self):
        g = torch.Generator().manual_seed(self.seed * 100003 + self.epoch)
        order = epoch_order(self.corpus_of, self.balance, g)
        pad = (-len(order)) % self.batch
        return order + order[:pad]

    def __iter__(self):
        order = self._order()
        return iter([(p, order[p]) for p in range(self.rank, len(order), self.world)])

    def __len__(self):
        return (len(self.corpus_of) + (-len(self.corpus_of)) % self.batch) // self.world


def _shard_key(clips):
    h = hashlib.sha1()
    for c in clips:
        st = os.stat(c["path"])
        h.update(f'{c["path"]}\0{st.st_size}\0{st.st_mtime_ns}\n'.encode())
    return h.hexdigest()[:16]


def shard_paths(clips, cache):
    """The shard files of `clips` (SHARD_CLIPS each), named for their files' paths, sizes and times."""
    return [Path(cache) / f"signals-{_shard_key(clips[i:i + SHARD_CLIPS])}.pt" for i in range(0, len(clips), SHARD_CLIPS)]


def build_shards(clips, cache, rank, world):
    """Each rank builds the missing shards i with i % world == rank (the 8 kHz signals)."""
    Path(cache).mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(shard_paths(clips, cache)):
        if i % world != rank or path.exists():
            continue
        part = clips[i * SHARD_CLIPS:(i + 1) * SHARD_CLIPS]
        signals = []
        for c in part:
            try:
                signals.append(signal_8k(c["path"])[0].clone())
            except Exception as e:
                raise DataError(f'cannot read {c["path"]} ({c["corpus"]}): {e}')
        tmp = path.with_suffix(f".tmp{rank}")
        torch.save(signals, tmp)
        os.replace(tmp, path)  # whole or absent, so a killed run leaves no half shard


def load_signals(clips, cache):
    out = []
    for path in shard_paths(clips, cache):
        out.extend(torch.load(path))
    return out


def augment_window(signal, aug, norm, g):
    """An augmented 61500-sample window and the normalisation it goes through, in the order of
    src/training/augment.ts: speed, placement, gain, noise at an SNR relative to the
    utterance's gated level, then the normalisation's target moved by the level jitter."""
    s = signal[None]
    if aug.get("speed"):
        lo, hi = aug["speed"]
        factor = round((lo + (hi - lo) * torch.rand(1, generator=g).item()) / 0.01) * 0.01
        rate = round(8000 * factor)
        if rate != 8000:
            s = torchaudio.functional.resample(s, rate, 8000)
    n = s.shape[-1]
    if aug["placement"] == "random":
        room = WINDOW - n
        off = torch.randint(0, abs(room) + 1, (1,), generator=g).item()
        off = off if room >= 0 else -off
    else:
        off = 0
    out = torch.zeros(1, WINDOW)
    a, b = max(0, -off), min(n, WINDOW - off)
    if b > a:
        out[0, off + a:off + b] = s[0, a:b]
    gain = 1.0
    if aug.get("gainDb"):
        lo, hi = aug["gainDb"]
        gain = 10 ** ((lo + (hi - lo) * torch.rand(1, generator=g).item()) / 20)
    noise = aug.get("noise")
    if noise and torch.rand(1, generator=g).item() < noise["probability"]:
        lo, hi = noise["snrDb"]
        snr = lo + (hi - lo) * torch.rand(1, generator=g).item()
        level = gated_level_db(s)
        if level is not None:
            out = out + 10 ** ((level - snr) / 20) * torch.randn(out.shape, generator=g)
    out = out * gain
    if norm is not None and aug.get("levelDb"):
        lo, hi = aug["levelDb"]
        norm = dict(norm, targetDb=norm["targetDb"] + lo + (hi - lo) * torch.rand(1, generator=g).item())
    return out, norm


def labels_of(c, outputs):
    y = [c["valence"], c["arousal"]][:outputs]
    return torch.tensor([math.nan if v is None else v for v in y], dtype=torch.float32)


class TrainWindows(torch.utils.data.Dataset):
    """Training windows: indexed by the sampler's (position, clip), augmented with a generator
    seeded by (seed, epoch, position), so a window is the same on any rank or worker."""

    def __init__(self, clips, signals, recipe, seed):
        self.clips, self.signals, self.r, self.seed, self.epoch = clips, signals, recipe, seed, 0

    def __len__(self):
        return len(self.clips)

    def __getitem__(self, key):
        pos, i = key
        r = self.r
        if r["augment"] is None:
            x = window_features(fix_length(self.signals[i][None]), r["config"]["features"], r["normalisation"])
        else:
            g = torch.Generator().manual_seed((self.seed * 1000003 + self.epoch) * 10000019 + pos)
            w, norm = augment_window(self.signals[i], r["augment"], r["normalisation"], g)
            x = window_features(w, r["config"]["features"], norm)
        return x, labels_of(self.clips[i], r["config"].get("outputs", 1))


def eval_features(clips, signals, recipe):
    """Report's-rule features (first window, no augmentation) of validation clips."""
    return torch.stack([window_features(fix_length(s[None]), recipe["config"]["features"], recipe["normalisation"]) for s in signals])
