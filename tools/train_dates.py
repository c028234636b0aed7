"""Train the encoder-decoders whose weights notebook 09 ships (with and without attention).

For every seed, rnnlib.seq2seq.train_with_and_without_attention trains two GRU
encoder-decoders on the dates task (rnnlib.dates): one with additive attention
(H = 32) and one without, at about the same number of parameters, on the same pairs
and batches. They are saved as data/dates-<attention|none>-seed<k>.npz in float32
(about 60 kB each).

Usage (the command behind the shipped weights)::

    python tools/train_dates.py --steps 3000 --seeds 0 1 2

It limits BLAS to one thread itself (through ``rnnlib.blas_threads``, i.e.
threadpoolctl), as the notebooks do; the weights were first made with
``OPENBLAS_NUM_THREADS=1`` in front, which their stored ``command`` still says and
which gives the same result.

Notebook 09 with FULL_SIZE = True runs the same training itself.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import rnnlib
from rnnlib.seq2seq import BOTTLENECK, train_with_and_without_attention

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--out", default=str(ROOT / "data"))
    args = parser.parse_args(argv)
    for seed in args.seeds:
        t0 = time.perf_counter()
        with rnnlib.blas_threads(1):  # small matrices: one thread is fastest and steady
            models = train_with_and_without_attention(seed, args.steps, log=print)
        print(f"seed {seed}: {time.perf_counter() - t0:.0f} s")
        for kind, model in models.items():
            model.params = {k: v.astype(np.float32) for k, v in model.params.items()}
            info = dict(
                seed=seed,
                steps=args.steps,
                **BOTTLENECK,
                command=f"python tools/train_dates.py --steps {args.steps} --seeds {seed}",
            )
            model.save(Path(args.out) / f"dates-{kind}-seed{seed}.npz", info=info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
