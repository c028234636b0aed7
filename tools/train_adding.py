"""Train the adding-problem models whose weights notebook 06 ships (data/adding-memory.npz).

What notebook 06 trains, with its seeds and settings, each run by
``rnnlib.memory.train_adding`` (the function the notebook calls when it retrains):

- the sweep of section 5: an RNN (H = 33) and an LSTM (H = 16, forget bias 2) at the
  lags 5, 10, 20, 40, learning rates 0.005, 0.01, 0.02, seeds 0, 1, 2; 300 Adam steps
  of 64 sequences, clipped at 1; scored after 100, 200 and 300 steps (72 runs);
- section 7: the lag-20 runs of both models at their best learning rate again, every
  initial weight nudged to the next float64 number up (6 runs);
- section 8: LSTMs at lag 80, at the LSTM's best rate at lag 40, with forget bias 2
  and 1, seeds 0, 1, 2 (6 runs).

The file holds the final weights of these 84 runs (float64) and the sweep's scores at
its checkpoints (``scores_rnn``, ``scores_lstm``: lag, rate, seed, checkpoint, and test
success, test MSE / baseline, validation success), which only training can measure;
notebook 06 recomputes every score of the final weights from the weights themselves.
The zip members carry a fixed date, so a second run writes the same bytes.

Usage (the command behind the shipped file)::

    python tools/train_adding.py

It limits BLAS to one thread (``rnnlib.blas_threads(1)``), as the notebook does.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import rnnlib  # noqa: E402
from rnnlib import memory  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

#: notebook 06's settings (its FULL_SIZE = False); the notebook checks them against the file
SETTINGS = dict(
    sizes={"rnn": 33, "lstm": 16},
    lags=[5, 10, 20, 40],
    lrs=[0.005, 0.01, 0.02],
    seeds=[0, 1, 2],
    steps=300,
    checkpoints=[100, 200, 300],
    batch=64,
    clip=1.0,
    forget_bias=2.0,
    lag_nudge=20,
    lag_long=80,
    long_biases=[1.0, 2.0],
    test_seed=1000,
    val_seed=2000,
)


def train_all(settings=SETTINGS, log=print):
    """Train every run of the file; return ``(models, arrays)`` for ``save_adding_runs``."""
    s = settings
    lags, lrs, seeds = s["lags"], s["lrs"], s["seeds"]
    test = {T: memory.held_out_sequences(T, s["test_seed"] + T) for T in [*lags, s["lag_long"]]}
    val = {T: memory.held_out_sequences(T, s["val_seed"] + T) for T in [*lags, s["lag_long"]]}

    def run(cell, T, lr, seed, **kw):
        return memory.train_adding(
            cell,
            T,
            lr,
            seed,
            test[T],
            val[T],
            hidden=s["sizes"][cell],
            steps=s["steps"],
            checkpoints=s["checkpoints"],
            batch=s["batch"],
            clip=s["clip"],
            forget_bias=kw.pop("forget_bias", s["forget_bias"]),
            **kw,
        )

    models, arrays = {}, {}
    for cell in s["sizes"]:
        shape = (len(lags), len(lrs), len(seeds), len(s["checkpoints"]), 3)
        arrays[f"scores_{cell}"] = np.zeros(shape)
    for a, T in enumerate(lags):
        t0 = time.perf_counter()
        for cell in s["sizes"]:
            for r, lr in enumerate(lrs):
                for b, seed in enumerate(seeds):
                    model, scores = run(cell, T, lr, seed)
                    models[memory.adding_run_name(cell, T, lr, seed)] = model
                    arrays[f"scores_{cell}"][a, r, b] = [scores[c] for c in s["checkpoints"]]
        log(f"lag {T:3d}: {2 * len(lrs) * len(seeds)} runs, {time.perf_counter() - t0:.0f} s")
    best_lr = {}
    for cell in s["sizes"]:
        final = arrays[f"scores_{cell}"][..., -1, :]
        best, _ = memory.best_learning_rate(final[..., 0], select=final[..., 2])
        best_lr[cell] = [lrs[r] for r in best]
    t0 = time.perf_counter()
    T_N = s["lag_nudge"]
    for cell in s["sizes"]:
        lr = best_lr[cell][lags.index(T_N)]
        for seed in seeds:
            name = memory.adding_run_name(cell, T_N, lr, seed, nudge=True)
            models[name] = run(cell, T_N, lr, seed, nudge=True)[0]
    log(f"lag {T_N}, nudged: {2 * len(seeds)} runs, {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    T_G, lr_g = s["lag_long"], best_lr["lstm"][-1]
    for b_f in s["long_biases"]:
        for seed in seeds:
            name = memory.adding_run_name("lstm", T_G, lr_g, seed, forget_bias=b_f)
            models[name] = run("lstm", T_G, lr_g, seed, forget_bias=b_f)[0]
    log(f"lag {T_G}: {len(s['long_biases']) * len(seeds)} runs, {time.perf_counter() - t0:.0f} s")
    return models, arrays, best_lr


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "data" / "adding-memory.npz"))
    args = parser.parse_args(argv)
    t0, c0 = time.perf_counter(), time.process_time()
    with rnnlib.blas_threads(1):  # small matrices: one thread is fastest and steady
        models, arrays, best_lr = train_all()
    info = dict(
        command="python tools/train_adding.py",
        settings=SETTINGS,
        best_lr=best_lr,
        runs=sorted(models),
    )
    memory.save_adding_runs(args.out, models, arrays, info)
    digest = hashlib.sha256(Path(args.out).read_bytes()).hexdigest()
    print(
        f"{len(models)} runs in {time.perf_counter() - t0:.0f} s of wall time"
        f" ({time.process_time() - c0:.0f} s of CPU); wrote {args.out},"
        f" {Path(args.out).stat().st_size:,} bytes, sha256 {digest}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
