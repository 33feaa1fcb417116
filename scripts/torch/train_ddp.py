#!/usr/bin/env python3
"""The project's training recipe on PyTorch DistributedDataParallel, for corpora past one
machine: gloo on CPUs, NCCL on GPUs, one node or several (torchrun). Writes DIR/model.safetensors
and DIR/card.json, which `npm run import-torch -- DIR/model.safetensors --out models/NAME`
turns into a model folder the app loads (it finds the card beside the weights).

  torchrun --standalone --nproc_per_node N scripts/torch/train_ddp.py \
      --manifest A.csv [--manifest B.csv ...] [--epochs E] --out DIR

The recipe is `npm run train`'s live preset (src/training/recipe.ts): dB features, the live
augmentations, loudness normalisation, lr 1e-4, batch 4 (global: split over the processes),
best epoch by the mean valence CCC over the corpora's validation speakers; --preset seed is
the report's. Needs Debian's python3-torch and python3-torchaudio (/usr/bin/python3).
"""
import argparse, json, math, os, sys, time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
import torch.distributed as dist

from ddp_data import (BalancedDistributedSampler, DataError, TrainWindows, build_shards, eval_features,
                      labels_of, load_signals, read_manifest, speakers_of, split_corpus)
from loudness import DEFAULT_NORMALISATION
from safetensors_writer import write_safetensors
from train_reference import SeedCNN, metrics

# src/training/augment.ts DEFAULT_AUGMENTATION (the live recipe's)
LIVE_AUGMENT = {"placement": "random", "gainDb": [-6, 6], "noise": {"snrDb": [5, 45], "probability": 0.5}, "levelDb": [-10, 10]}
# src/model/config.ts SEED_PRESET
SEED_CONFIG = {"channels": [16, 32, 64, 128], "kernelSize": 5, "activation": "relu", "pooling": "avg", "padding": 7}


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--manifest", action="append", required=True, help="CSV path,valence[,speaker[,arousal]] (repeat for more corpora)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--preset", choices=["live", "seed"], default="live")
    ap.add_argument("--features", choices=["power", "db", "db-band-mean"])
    ap.add_argument("--outputs", type=int, choices=[1, 2], default=1)
    ap.add_argument("--head", choices=["flatten", "time-mean"], default="flatten", help="time-mean: the last map averaged over time")
    ap.add_argument("--epochs", type=int, default=50)
    ap.add_argument("--patience", type=int, default=15, help="epochs without a better CCC before stopping; 0: never")
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch-size", type=int, default=4, help="global batch, split evenly over the processes")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--speed", help="speed perturbation range LO,HI (e.g. 0.9,1.1)")
    ap.add_argument("--no-augment", action="store_true")
    ap.add_argument("--no-normalise", action="store_true")
    ap.add_argument("--balance", choices=["corpus", "none"], default="corpus")
    ap.add_argument("--limit", type=int, help="keep the first N rows of each manifest (quick runs)")
    ap.add_argument("--max-steps", type=int, help="stop each epoch after N steps (tests, timing)")
    ap.add_argument("--workers", type=int, default=0, help="DataLoader worker processes per rank")
    ap.add_argument("--cache", help="folder of the 8 kHz signal shards (default DIR/shards)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads per process")
    ap.add_argument("--amp", action="store_true", help="bfloat16 autocast on GPU")
    ap.add_argument("--cpu", action="store_true", help="gloo on CPUs even where there is a GPU")
    ap.add_argument("--resume", action="store_true", help="continue from DIR/checkpoint.pt")
    ap.add_argument("--dump-grads", help="write the first step's (all-reduced) gradients to this safetensors file")
    a = ap.parse_args(argv)
    for k in ("epochs", "batch_size"):
        if getattr(a, k) <= 0:
            ap.error(f"--{k.replace('_', '-')} must be a whole number > 0")
    return a


def build_recipe(a):
    """The recipe as the card records it (src/training/recipe.ts field names)."""
    live = a.preset == "live"
    augment = None if a.no_augment or not live else dict(LIVE_AUGMENT)
    if a.speed:
        if augment is None:
            raise SystemExit("train_ddp: --speed needs augmentation")
        lo, hi = (float(v) for v in a.speed.split(","))
        if not (0.5 <= lo <= hi <= 2):
            raise SystemExit(f"train_ddp: --speed factors must lie in [0.5, 2] with LO <= HI, got {a.speed}")
        augment["speed"] = [lo, hi]
    normalisation = None if a.no_normalise or not live else dict(DEFAULT_NORMALISATION)
    if augment is not None and normalisation is None:
        augment.pop("levelDb")
    config = dict(SEED_CONFIG, features=a.features or ("db" if live else "power"))
    if a.outputs == 2:
        config["outputs"] = 2
    if a.head == "time-mean":
        config["head"] = "time-mean"
    return {"preset": a.preset, "config": config, "epochs": a.epochs, "lr": a.lr, "batchSize": a.batch_size,
            "augment": augment, "normalisation": normalisation, "select": "ccc", "patience": a.patience,
            "seed": a.seed, "balance": a.balance, "specMask": None}


def recipe_key(r):
    return json.dumps({k: v for k, v in r.items() if k not in ("epochs", "patience")}, sort_keys=True)


def masked_sse(pred, y):
    """Sum of squared errors over the known labels (NaN: unknown) and how many are known."""
    known = ~torch.isnan(y)
    diff = torch.where(known, pred - torch.nan_to_num(y), torch.zeros_like(pred))
    return (diff * diff).sum(), known.sum()


def score(model, feats, clips, outputs, device):
    """One corpus's metrics per dimension over its known labels."""
    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(feats[i:i + 32].to(device)).float().cpu() for i in range(0, len(feats), 32)])
    y = torch.stack([labels_of(c, outputs) for c in clips])
    out = {}
    for k, name in enumerate(["valence", "arousal"][:outputs]):
        known = ~torch.isnan(y[:, k])
        if known.sum() > 1:
            out[name] = dict(n=int(known.sum()), **metrics(pred[known, k:k + 1], y[known, k:k + 1]))
    return out


def summarise(scores):
    """Mean over the corpora of their valence metrics (src/training/score.ts summarise)."""
    v = [s["valence"] for s in scores.values() if "valence" in s]
    if not v:
        return {"n": 0, "mse": math.nan, "ccc": math.nan, "pearson": math.nan, "sign_acc": math.nan}
    return {"n": sum(m["n"] for m in v), **{k: sum(m[k] for m in v) / len(v) for k in ("mse", "ccc", "pearson", "sign_acc")}}


def load_corpora(a, outputs):
    corpora = []
    for m in a.manifest:
        clips = read_manifest(m)[: a.limit] if a.limit else read_manifest(m)
        if outputs == 1:
            clips = [c for c in clips if c["valence"] is not None]
        if any(c["corpus"] == clips[0]["corpus"] for c in sum((x["clips"] for x in corpora), [])):
            raise DataError(f"two manifests are named {clips[0]['corpus']}: corpora are named for their CSV files")
        train, val, val_speakers = split_corpus(clips)
        corpora.append(dict(name=clips[0]["corpus"], source=str(m), clips=clips, train=train, val=val, valSpeakers=val_speakers))
    return corpora


def main(argv=None):
    a = parse_args(argv)
    recipe = build_recipe(a)
    torch.set_num_threads(a.threads)
    world, rank = int(os.environ.get("WORLD_SIZE", 1)), int(os.environ.get("RANK", 0))
    local = int(os.environ.get("LOCAL_RANK", 0))
    gpu = torch.cuda.is_available() and not a.cpu
    device = torch.device(f"cuda:{local}" if gpu else "cpu")
    if gpu:
        torch.cuda.set_device(device)
    distributed = "WORLD_SIZE" in os.environ
    if distributed:
        dist.init_process_group("nccl" if gpu else "gloo")
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    log = (lambda *s: print(*s, flush=True)) if rank == 0 else (lambda *s: None)
    ckpt, saved = out / "checkpoint.pt", None
    if a.resume:  # checked before any data is read
        if not ckpt.exists():
            raise SystemExit(f"train_ddp: --resume: no checkpoint at {ckpt}")
        saved = torch.load(ckpt, map_location="cpu")
        if saved["recipeKey"] != recipe_key(recipe):
            raise SystemExit(f"train_ddp: --resume: {ckpt} was made with another recipe (lr, batch, features, augmentation...)")

    outputs = recipe["config"].get("outputs", 1)
    corpora = load_corpora(a, outputs)
    train = [c for k in corpora for c in k["train"]]
    val_clips = [c for k in corpora for c in k["val"]]
    cache = a.cache or str(out / "shards")
    build_shards(train, cache, rank, world)
    if rank == 0:
        build_shards(val_clips, cache, 0, 1)
    if distributed:
        dist.barrier()
        # With a cache on each node rather than shared, a node lacks the shards other nodes
        # built: its own processes build those (a no-op on a shared cache).
        build_shards(train, cache, local, int(os.environ.get("LOCAL_WORLD_SIZE", 1)))
        dist.barrier()
    signals = load_signals(train, cache)
    log(f"{world} process(es) on {device.type}: {len(train)} train clips, "
        + ", ".join(f"{k['name']}: {len(k['val'])} validation ({','.join(k['valSpeakers'])})" for k in corpora))

    torch.manual_seed(a.seed)
    model = SeedCNN(outputs=outputs, head=recipe["config"].get("head", "flatten")).to(device)
    ddp = torch.nn.parallel.DistributedDataParallel(model, device_ids=[local] if gpu else None) if distributed else model
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    state = {"epoch": 0, "history": [], "best": None, "bestState": None, "stale": 0, "seconds": 0.0}
    if saved is not None:
        model.load_state_dict(saved["model"]); opt.load_state_dict(saved["optimizer"]); state = saved["state"]
        log(f"resuming after epoch {state['epoch']}")

    sampler = BalancedDistributedSampler([c["corpus"] for c in train], a.batch_size, rank, world, a.seed, a.balance)
    data = TrainWindows(train, signals, recipe, a.seed)
    loader = torch.utils.data.DataLoader(data, batch_size=a.batch_size // world, sampler=sampler, num_workers=a.workers, pin_memory=gpu)
    val_sets = None
    if rank == 0:
        vsig = load_signals(val_clips, cache)
        val_sets, at = {}, 0
        for k in corpora:
            n = len(k["val"])
            val_sets[k["name"]] = (eval_features(k["val"], vsig[at:at + n], recipe), k["val"])
            at += n
    amp = torch.autocast("cuda", dtype=torch.bfloat16) if gpu and a.amp else torch.autocast("cpu", enabled=False)

    for ep in range(state["epoch"], a.epochs):
        sampler.set_epoch(ep); data.epoch = ep
        # Tensors that go through collectives live on the device: NCCL reduces only GPU tensors.
        ddp.train(); t0 = time.time(); sse_sum = torch.zeros(2, dtype=torch.float64, device=device)
        steps = 0
        for x, y in loader:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            with amp:
                pred = ddp(x)
            sse, known = masked_sse(pred.float(), y)
            total = known.detach().double()
            if distributed:
                dist.all_reduce(total)
            # DDP averages gradients over the world: scaled so they are the global batch's
            # sum of squared errors over its known labels (src/model/train/output-grad.ts).
            loss = sse * world / max(total.item(), 1.0)
            opt.zero_grad()
            loss.backward()
            if a.dump_grads and steps == 0 and ep == state["epoch"] and rank == 0:
                write_safetensors(a.dump_grads, {n: p.grad for n, p in model.named_parameters()}, {"world": world})
            opt.step()
            sse_sum += torch.stack([sse.detach().double(), known.double()])
            steps += 1
            if a.max_steps and steps >= a.max_steps:
                break
        if distributed:
            dist.all_reduce(sse_sum)
        train_secs = time.time() - t0
        stop = torch.zeros(1, device=device)
        if rank == 0:
            scores = {name: score(model, f, c, outputs, device) for name, (f, c) in val_sets.items()}
            val = summarise(scores)
            secs = time.time() - t0  # validation included, as npm run train's secondsPerEpoch
            rec = {"epoch": ep + 1, "trainLoss": (sse_sum[0] / sse_sum[1].clamp(min=1)).item(), "val": val, "corpora": scores, "seconds": secs, "trainSeconds": train_secs, "steps": steps}
            state["history"].append(rec); state["seconds"] += secs
            log(json.dumps({k: rec[k] for k in ("epoch", "trainLoss", "val", "seconds", "trainSeconds", "steps")}))
            best = state["best"]
            if math.isfinite(val["ccc"]) and (best is None or not math.isfinite(best["val"]["ccc"]) or val["ccc"] > best["val"]["ccc"]):
                state["best"], state["stale"] = rec, 0
                state["bestState"] = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
            else:
                state["stale"] += 1
            state["epoch"] = ep + 1
            tmp = ckpt.with_suffix(".tmp")
            torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "state": state, "recipeKey": recipe_key(recipe)}, tmp)
            os.replace(tmp, ckpt)
            if a.patience and state["stale"] >= a.patience:
                log(f"no better CCC for {a.patience} epochs: stopping"); stop[0] = 1
        if distributed:
            dist.broadcast(stop, 0)
        if stop.item():
            break

    if rank == 0:
        write_card(out, a, recipe, corpora, state, model, world, device)
    if distributed:
        dist.destroy_process_group()


def write_card(out, a, recipe, corpora, state, model, world, device):
    from ddp_card import card_of
    weights = state["bestState"] or {k: v.detach().cpu() for k, v in model.state_dict().items()}
    write_safetensors(str(out / "model.safetensors"), weights, {"features": recipe["config"]["features"], "outputs": recipe["config"].get("outputs", 1)})
    card = card_of(a, recipe, corpora, state, world, device, speakers_of)
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"wrote {out / 'model.safetensors'} and {out / 'card.json'} (best epoch {card['metrics']['validation'].get('epoch')})", flush=True)


if __name__ == "__main__":
    try:
        main()
    except DataError as e:
        raise SystemExit(f"train_ddp: {e}")
