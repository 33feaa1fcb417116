"""The card JSON train_ddp.py writes beside model.safetensors, in the fields of
scripts/train/model-card.ts TrainedCard (data with each corpus, recipe, config,
normalisation, signal, metrics per corpus, history, timing), plus `training`: the engine,
world size, backend and device. `npm run import-torch` reads it from beside the weights."""
import datetime, math, sys

MEL = {"sampleRate": 8000, "nFft": 1024, "winLength": 1024, "hopLength": 512, "nMels": 64, "fMin": 0, "fMax": 4000}


def _scores(name, clips, s):
    return {"corpus": name, "clips": clips, "valence": s.get("valence"), "arousal": s.get("arousal")}


def finite(x):
    """x with NaN and infinities as None (null): JSON has no NaN, and JSON.parse refuses it."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: finite(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [finite(v) for v in x]
    return x


def card_of(a, recipe, corpora, state, world, device, speakers_of):
    history = state["history"]
    # No epoch chosen (no defined validation CCC): the last epoch's weights and scores, said so.
    best = state["best"] or (history[-1] if history else {})
    chosen = state["best"] is not None
    steps_note = f", at most {a.max_steps} steps per epoch" if a.max_steps else ""
    data_corpora = [{
        "name": k["name"], "layout": "manifest", "source": f"manifest {k['source']}", "clips": len(k["clips"]),
        "speakers": len(speakers_of(k["clips"])), "trainSpeakers": speakers_of(k["train"]),
        "valSpeakers": k["valSpeakers"], "heldOut": False,
    } for k in corpora]
    all_clips = [c for k in corpora for c in k["clips"]]
    seconds = state["seconds"]
    return finite({
        "date": datetime.date.today().isoformat(),
        "command": "torchrun ... scripts/torch/train_ddp.py " + " ".join(sys.argv[1:]),
        "data": {
            "source": "; ".join(c["source"] for c in data_corpora),
            "clips": len(all_clips),
            "speakers": sum(c["speakers"] for c in data_corpora),
            "split": "each corpus's last fifth of speakers validate" + (f" (first {a.limit} rows of each manifest)" if a.limit else "") + steps_note,
            "skipped": 0,
            "corpora": data_corpora,
        },
        "recipe": {k: v for k, v in recipe.items() if k not in ("config", "normalisation")},
        "config": dict(recipe["config"]),
        "normalisation": recipe["normalisation"],
        "signal": {"sampleRate": 8000, "windowLength": 61500, "mel": MEL, "features": recipe["config"]["features"],
                   "windowRule": "first 61500 samples, zero-padded at the end (validation); live windows as SPEC section 1"},
        "metrics": {
            "validation": {"epoch": best.get("epoch") if chosen else None, **best.get("val", {})},
            **({} if chosen else {"selection": "no epoch gave a defined validation CCC: the last epoch's weights and scores"}),
            "corpora": [_scores(k["name"], len(k["val"]), best.get("corpora", {}).get(k["name"], {})) for k in corpora],
        },
        "history": [{"epoch": h["epoch"], "trainLoss": h["trainLoss"], "val": h["val"], "seconds": h["seconds"], "trainSeconds": h.get("trainSeconds"), "steps": h.get("steps")} for h in history],
        "timing": {"msPerStep": 1000 * seconds / max(1, sum(h.get("steps", 0) for h in history)), "threads": a.threads, "seconds": seconds, "secondsPerEpoch": seconds / len(history) if history else None},
        "training": {"engine": "pytorch-ddp", "worldSize": world, "backend": "nccl" if device.type == "cuda" else "gloo",
                     "device": device.type, "amp": bool(a.amp and device.type == "cuda"), "workers": a.workers},
    })
