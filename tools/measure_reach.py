"""Measure how far back the shipped character models look; notebook 07 loads the result.

Two measurements of notebook 07 on the shipped RNN and LSTM (``data/charlm-*.npz``)
take most of its run time, so the course ships their results in
``data/charlm-reach.npz``, made here with the notebook's own calls:

- section 9, saliency by lag: ``rnnlib.lm.saliency_windows(model, windows)`` for 300
  windows of 101 validation characters, drawn with
  ``np.random.default_rng(0).integers(0, len(val_ids) - 101, size=300)`` (about 5 s
  of CPU); stored as ``saliency/starts`` (300,) and ``saliency/<model>`` (300, 100),
  float32 (the notebook only averages them);
- section 10, cutting the context: ``rnnlib.lm.context_cuts(models, val_ids, ks,
  500, min_context=512, seed=0)``, each model's bits with its whole past and reading
  only the last ``k = 4, 8, ..., 256`` characters at 500 validation positions (1,016
  steps of a batch of 500 rows, about 15 s of CPU); stored as ``ks`` (K,),
  ``positions`` (P,), ``full_bits/<model>`` (P,) and ``cut_bits/<model>`` (K, P);
- ``__info__``: JSON with the command, the settings and the sha256 of the weight files.

The notebook recomputes a cheap part of each (the saliency of the first 10 windows,
the two shortest cuts) and checks it against the file; with ``RECOMPUTE = True`` it
measures everything itself. The computation is deterministic and the zip members
carry a fixed date, so a second run on the same machine writes the same bytes.

Usage (the command behind the shipped file)::

    python tools/measure_reach.py

It limits BLAS to one thread (``rnnlib.blas_threads(1)``), as the notebook does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import rnnlib  # noqa: E402
from rnnlib import data, lm  # noqa: E402
from rnnlib.data import CharVocab  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

#: notebook 07's settings (sections 9 and 10); the notebook checks them against the file
SETTINGS = dict(
    windows=300,
    window_length=101,
    window_seed=0,
    ks=[4, 8, 16, 32, 64, 128, 256],
    size=500,
    min_context=512,
    seed=0,
)
#: the models of sections 9 and 10, in the notebook's order
MODELS = {"RNN": "charlm-rnn.npz", "LSTM": "charlm-lstm.npz"}


def measure(settings=SETTINGS):
    """The arrays of ``data/charlm-reach.npz``, measured on the validation text."""
    text = (DATA / "python-reference.txt").read_text(encoding="utf-8")
    vocab = CharVocab(text)
    _, val_ids = lm.train_val_split(vocab.encode(text))
    models = {}
    for name, file in MODELS.items():
        model, model_vocab, _ = lm.load_charlm(DATA / file)
        if model_vocab.chars != vocab.chars:
            raise ValueError(f"{file}: another vocabulary than the corpus")
        models[name] = model
    s, length = settings, settings["window_length"]
    starts = np.random.default_rng(s["window_seed"]).integers(
        0, len(val_ids) - length, size=s["windows"]
    )
    windows = np.stack([val_ids[a : a + length] for a in starts])  # 100 read, 1 to predict
    arrays = {"saliency/starts": starts}
    for name, model in models.items():
        arrays[f"saliency/{name}"] = lm.saliency_windows(model, windows).astype(np.float32)
    positions, full_bits, cut_bits = lm.context_cuts(
        models, val_ids, s["ks"], s["size"], min_context=s["min_context"], seed=s["seed"]
    )
    arrays["ks"], arrays["positions"] = np.array(s["ks"], dtype=np.int64), positions
    for name in models:
        arrays[f"full_bits/{name}"] = full_bits[name]
        arrays[f"cut_bits/{name}"] = cut_bits[name]
    return arrays


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DATA / "charlm-reach.npz"))
    args = parser.parse_args(argv)
    t0, c0 = time.perf_counter(), time.process_time()
    with rnnlib.blas_threads(1):  # as rnnlib.setup() in the notebook
        arrays = measure()
    info = dict(
        command="python tools/measure_reach.py",
        settings=SETTINGS,
        reading=dict(function="rnnlib.lm.surprisal", batch_size=8, seq_len=256),
        weights={
            name: dict(file=file, sha256=hashlib.sha256((DATA / file).read_bytes()).hexdigest())
            for name, file in MODELS.items()
        },
    )
    data.save_npz(args.out, {"__info__": np.array(json.dumps(info, sort_keys=True)), **arrays})
    digest = hashlib.sha256(Path(args.out).read_bytes()).hexdigest()
    print(
        f"measured in {time.perf_counter() - t0:.0f} s of wall time"
        f" ({time.process_time() - c0:.0f} s of CPU); wrote {args.out},"
        f" {Path(args.out).stat().st_size:,} bytes, sha256 {digest}"
    )
    for name in MODELS:
        profile = lm.lag_profile(arrays[f"saliency/{name}"])
        print(
            f"  {name:5s} saliency beyond {lm.LAG_FAR} characters {profile['tail_share']:.1%};"
            f" whole past {arrays[f'full_bits/{name}'].mean():.3f} bits; cuts "
            + " ".join(f"{b:.3f}" for b in arrays[f"cut_bits/{name}"].mean(axis=1))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
