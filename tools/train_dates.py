"""Train the encoder-decoders whose weights notebook 09 ships (the bottleneck experiment).

For every seed, two GRU encoder-decoders on the dates task (rnnlib.dates): one with
additive attention (H = 32) and one without, its hidden size chosen so that both have
about the same number of parameters (rnnlib.seq2seq.matched_hidden_size). Both see the
same training pairs and the same batches. Saved as data/dates-<kind>-seed<k>.npz
(float32, a few tens of kB each).

Usage (the command behind the shipped weights)::

    OPENBLAS_NUM_THREADS=1 python tools/train_dates.py --steps 3000 --seeds 0 1 2

Notebook 09 sets FULL_SIZE = True to run the same training itself instead.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from rnnlib.dates import DateVocab, date_batches, make_dates
from rnnlib.seq2seq import Seq2Seq, matched_hidden_size, train

ROOT = Path(__file__).resolve().parent.parent
E, H, N_TRAIN, BATCH, LR = 16, 32, 20000, 32, 0.01


def train_pair(seed, steps, out_dir=None, log=print):
    """Train the two models of one seed; return {"attention": model, "none": model}."""
    vocab = DateVocab()
    V = len(vocab)
    sources, targets = make_dates(N_TRAIN, np.random.default_rng([seed, 0]))
    H_plain = matched_hidden_size(Seq2Seq.count(V, E, H), V, E)
    models = {}
    for kind, att, size in (("attention", "additive", H), ("none", None, H_plain)):
        model = Seq2Seq(V, E, size, np.random.default_rng([seed, 1]), attention=att)
        rng = np.random.default_rng([seed, 2])  # the same batches for both models
        batches = date_batches(vocab, sources, targets, BATCH, steps, rng)
        t0 = time.perf_counter()
        losses = train(model, batches, lr=LR)
        log(f"seed {seed} {kind:9s} H={size} params={model.n_params} "
            f"loss(last 100)={losses[-100:].mean():.4f} {time.perf_counter() - t0:.0f} s")
        if out_dir is not None:
            small = Seq2Seq(V, E, size, np.random.default_rng(0), attention=att, dtype=np.float32)
            small.params = {k: v.astype(np.float32) for k, v in model.params.items()}
            info = dict(seed=seed, steps=steps, batch=BATCH, lr=LR, n_train=N_TRAIN,
                        command="OPENBLAS_NUM_THREADS=1 python tools/train_dates.py")
            small.save(Path(out_dir) / f"dates-{kind}-seed{seed}.npz", info=info)
        models[kind] = model
    return models


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--out", default=str(ROOT / "data"))
    args = parser.parse_args(argv)
    for seed in args.seeds:
        train_pair(seed, args.steps, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
