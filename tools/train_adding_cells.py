"""Train the adding-problem runs whose weights notebook 08 ships (data/adding-cells.npz).

What notebook 08 trains in section 4, with its seeds and settings (its FULL_SIZE =
False), each run by ``rnnlib.memory.train_adding`` (the function the notebook calls
when it retrains): an RNN (H = 33), a GRU (H = 18) and an LSTM (H = 16), both gate
biases at 2, at the lags 5, 10, 20, 40, learning rates 0.003, 0.01, 0.03, 0.1, seeds
0, 1, 2; 150 Adam steps of 64 sequences, clipped at 1, in float32 (144 runs).

The file holds the final weights of these runs (float32, as trained) and their success
rates on the notebook's test sequences (``rates_rnn``, ``rates_gru``, ``rates_lstm``:
lag, rate, seed), measured here after training; notebook 08 computes the success rates
again from the weights and checks them against these. The zip members carry a fixed
date, so a second run writes the same bytes.

Usage (the command behind the shipped file)::

    python tools/train_adding_cells.py

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
from rnnlib import data, memory  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

#: notebook 08's settings (its FULL_SIZE = False); the notebook checks them against the file
SETTINGS = dict(
    sizes={"rnn": 33, "gru": 18, "lstm": 16},
    lags=[5, 10, 20, 40],
    lrs=[0.003, 0.01, 0.03, 0.1],
    seeds=[0, 1, 2],
    steps=150,
    batch=64,
    clip=1.0,
    gate_bias=2.0,
    dtype="float32",
    test_seed=1000,
    test_size=1000,
)


def train_all(settings=SETTINGS, log=print):
    """Train every run of the file; return ``(models, arrays)`` for ``save_adding_runs``."""
    s = settings
    dtype = np.dtype(s["dtype"])
    lags, lrs, seeds = s["lags"], s["lrs"], s["seeds"]
    test = {
        T: memory.held_out_sequences(T, s["test_seed"] + T, n=s["test_size"], dtype=dtype)
        for T in lags
    }
    models = {}
    arrays = {f"rates_{cell}": np.zeros((len(lags), len(lrs), len(seeds))) for cell in s["sizes"]}
    for a, T in enumerate(lags):
        t0 = time.perf_counter()
        for cell, hidden in s["sizes"].items():
            for r, lr in enumerate(lrs):
                for b, seed in enumerate(seeds):
                    model, _ = memory.train_adding(
                        cell,
                        T,
                        lr,
                        seed,
                        hidden=hidden,
                        steps=s["steps"],
                        batch=s["batch"],
                        clip=s["clip"],
                        forget_bias=s["gate_bias"],
                        update_bias=s["gate_bias"],
                        dtype=dtype,
                    )
                    models[memory.adding_run_name(cell, T, lr, seed)] = model
                    x, y = test[T]
                    solved = data.adding_solved(model.predict(x), y)
                    arrays[f"rates_{cell}"][a, r, b] = solved.mean()
        n = len(s["sizes"]) * len(lrs) * len(seeds)
        log(f"lag {T:3d}: {n} runs, {time.perf_counter() - t0:.0f} s")
    return models, arrays


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "data" / "adding-cells.npz"))
    args = parser.parse_args(argv)
    t0, c0 = time.perf_counter(), time.process_time()
    with rnnlib.blas_threads(1):  # small matrices: one thread is fastest and steady
        models, arrays = train_all()
    command = "python tools/train_adding_cells.py"
    info = dict(command=command, settings=SETTINGS, runs=sorted(models))
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
