"""Train notebook 09's bottleneck experiment: copy digit strings, with and without attention.

For each kind of model (rnnlib.bottleneck: dot-product attention, or none at a matched
parameter count) the script first sweeps Adam's learning rate over
EXPERIMENT["rates"] on seed 0, chooses the rate with the highest share of right
characters on the validation strings (rnnlib.bottleneck.validation_sources), then
trains seeds 1 and 2 at that rate. It saves data/copy-<attention|none>-seed<k>.npz
(float32), each holding in its info the settings, the rate, the sweep's validation
scores, the training loss every 50 steps and the command.

Usage (the command behind the shipped weights)::

    python tools/train_copy.py --jobs 2

Every run is seeded and uses one BLAS thread (rnnlib.blas_threads, i.e. threadpoolctl),
so running it again on the same machine gives the same arrays bit for bit (the script
prints a hash of each saved model's arrays to compare two runs). Each finished run is
kept in ``--work`` (default build/train_copy/), and a second call reuses it: a run
that is stopped loses only the runs it had not finished.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

import rnnlib
from rnnlib import bottleneck
from rnnlib.bottleneck import EXPERIMENT, decode, scores_by_length, train_model
from rnnlib.seq2seq import Seq2Seq

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("attention", "none")


def run(job):
    """Train one (kind, lr, seed), score it on the validation strings, save it to ``work``."""
    kind, lr, seed, steps, work = job
    path = Path(work) / f"copy-{kind}-lr{lr:g}-seed{seed}-steps{steps}.npz"
    if path.exists():
        return Seq2Seq.load(path).info
    t0, c0 = time.perf_counter(), time.process_time()
    with rnnlib.blas_threads(1):  # small matrices: one thread is fastest and steady
        model, losses = train_model(kind, lr, seed, steps)
        val = bottleneck.validation_sources()
        s = scores_by_length(decode(model, val), val)
    result = dict(
        kind=kind,
        lr=lr,
        seed=seed,
        steps=steps,
        val_chars=float(s["chars_right"].sum() / s["chars"].sum()),
        val_exact=float(s["exact"].sum() / s["examples"].sum()),
        loss_every_50=[
            round(float(x), 4)
            for x in losses[: len(losses) // 50 * 50].reshape(-1, 50).mean(axis=1)
        ],
        wall_s=round(time.perf_counter() - t0, 1),
        cpu_s=round(time.process_time() - c0, 1),
    )
    model.params = {k: v.astype(np.float32) for k, v in model.params.items()}
    model.save(path, info=result)
    print(
        f"{kind:9s} lr={lr:<6g} seed {seed}: validation chars {result['val_chars']:.3f}, "
        f"exact {result['val_exact']:.3f}, cpu {result['cpu_s']:.0f} s",
        flush=True,
    )
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=EXPERIMENT["steps"])
    parser.add_argument("--jobs", type=int, default=2, help="runs at once, one process each")
    parser.add_argument("--out", default=str(ROOT / "data"))
    parser.add_argument("--work", default=str(ROOT / "build" / "train_copy"))
    args = parser.parse_args(argv)
    out, work = Path(args.out), Path(args.work)
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    command = "python tools/train_copy.py" + (
        f" --steps {args.steps}" if args.steps != EXPERIMENT["steps"] else ""
    )
    t0 = time.perf_counter()
    pool = ProcessPoolExecutor(args.jobs) if args.jobs > 1 else None
    mapper = pool.map if pool else map
    try:
        sweep = [(k, lr, 0, args.steps, work) for k in KINDS for lr in EXPERIMENT["rates"]]
        first = list(mapper(run, sweep))
        chosen, table = {}, {}
        for kind in KINDS:
            rows = [r for r in first if r["kind"] == kind]
            table[kind] = {f"{r['lr']:g}": round(r["val_chars"], 4) for r in rows}
            chosen[kind] = max(rows, key=lambda r: r["val_chars"])["lr"]  # first best on ties
        rest = [(k, chosen[k], s, args.steps, work) for k in KINDS for s in (1, 2)]
        second = list(mapper(run, rest))
    finally:
        if pool:
            pool.shutdown()
    cpu = sum(r["cpu_s"] for r in first + second)
    print(f"total: {time.perf_counter() - t0:.0f} s wall now, {cpu:.0f} s of CPU in the runs")
    for kind in KINDS:
        for seed in (0, 1, 2):
            run_path = work / f"copy-{kind}-lr{chosen[kind]:g}-seed{seed}-steps{args.steps}.npz"
            model = Seq2Seq.load(run_path)
            info = dict(
                settings={k: list(v) if isinstance(v, tuple) else v for k, v in EXPERIMENT.items()},
                sweep_validation_chars=table[kind],
                command=command,
                **model.info,
            )
            path = out / f"copy-{kind}-seed{seed}.npz"
            model.save(path, info=info)
            digest = hashlib.sha256(
                b"".join(model.params[k].tobytes() for k in sorted(model.params))
            ).hexdigest()[:16]
            print(f"{path.name}: lr {chosen[kind]:g}, {model.n_params} parameters, arrays {digest}")
    print(json.dumps(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
