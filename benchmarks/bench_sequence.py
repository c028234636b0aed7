"""How fast are rnnlib's sequence functions, compared with the machine and with a naive loop?

For the RNN, the LSTM and the GRU, in float32 and float64, this times forward + backward
of ``rnnlib.sequence`` and reports:

* the median wall time (after a warm-up run);
* GFLOP/s reached, counting 3x the forward matmul FLOPs, 2*N*T*(D+H)*G*H with
  G = 1 (RNN), 4 (LSTM) or 3 (GRU): forward, and two matmuls of the same size in backward;
* that rate as a fraction of a large numpy matmul (1024 x 1024) in the same
  dtype, timed in turns with the row's own runs: the ceiling for dense linear
  algebra on this machine at that moment;
* the speed-up over the naive version, a Python loop over the step functions of
  ``rnnlib.cells`` (forward, then backward summing the per-step gradients; median
  of 3 runs, 1 with ``--quick``).

Usage::

    python benchmarks/bench_sequence.py            # both sizes, 5 repeats
    python benchmarks/bench_sequence.py --quick    # small size only, a few seconds

The numbers depend on the BLAS threads and on anything else running: the load
average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from rnnlib import cells, sequence

SIZES = [(32, 50, 64, 128), (64, 100, 128, 256)]  # (N, T, D, H)
GATES = {"rnn": 1, "lstm": 4, "gru": 3}  # weight blocks per cell


def median_times(fns, repeats, warm_up=True):
    """Median wall time of each function over ``repeats`` rounds, after a warm-up.

    The functions take turns within every round, so that a burst of load from
    other processes hits all of them alike: on a shared machine that matters more
    than the number of repeats.
    """
    if warm_up:
        for fn in fns:
            fn()
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - start)
    return [statistics.median(ts) for ts in times]


def reference_matmul(dtype, n=1024):
    """One large ``(n, n) @ (n, n)`` matmul, the machine's dense ceiling; and its FLOPs."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(dtype)
    b = rng.standard_normal((n, n)).astype(dtype)
    out = np.empty((n, n), dtype)
    return (lambda: np.matmul(a, b, out=out)), 2 * n**3


def make_inputs(cell, N, T, D, H, dtype, seed=0):
    """Seeded inputs, small weights (so that nothing saturates), and an upstream gradient."""
    rng = np.random.default_rng(seed)
    G = GATES[cell]
    x = rng.standard_normal((N, T, D)).astype(dtype)
    states = [np.zeros((N, H), dtype)] * (2 if cell == "lstm" else 1)
    Wx = (rng.standard_normal((D, G * H)) / np.sqrt(D)).astype(dtype)
    Wh = (rng.standard_normal((H, G * H)) / np.sqrt(H)).astype(dtype)
    b = np.zeros(G * H, dtype)
    dh = rng.standard_normal((N, T, H)).astype(dtype)
    if cell == "gru":  # two biases, bx and bh
        return (x, *states, Wx, Wh, b, b.copy()), dh
    return (x, *states, Wx, Wh, b), dh


def fast(cell, args, dh):
    """Forward + backward with rnnlib.sequence."""
    if cell == "rnn":
        _, cache = sequence.rnn_forward(*args)
        return sequence.rnn_backward(dh, cache)
    if cell == "gru":
        _, cache = sequence.gru_forward(*args)
        return sequence.gru_backward(dh, cache)
    _, cache = sequence.lstm_forward(*args)
    return sequence.lstm_backward(dh, cache)


def naive(cell, args, dh):
    """Forward + backward as a Python loop over the step functions of rnnlib.cells."""
    if cell == "gru":
        return naive_gru(args, dh)
    x, *states, Wx, Wh, b = args
    T = x.shape[1]
    step_fwd = cells.rnn_step_forward if cell == "rnn" else cells.lstm_step_forward
    step_bwd = cells.rnn_step_backward if cell == "rnn" else cells.lstm_step_backward
    caches = []
    for t in range(T):
        *states, cache = step_fwd(x[:, t], *states, Wx, Wh, b)
        caches.append(cache)
    dstates = [np.zeros_like(s) for s in states]
    dx = np.empty_like(x)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    for t in reversed(range(T)):
        dstates[0] = dstates[0] + dh[:, t]  # output stream + recurrent stream
        dx[:, t], *dstates, dWx_t, dWh_t, db_t = step_bwd(*dstates, caches[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, *dstates, dWx, dWh, db


def naive_gru(args, dh):
    """The naive loop for the GRU (one state, two biases)."""
    x, h, Wx, Wh, bx, bh = args
    caches = []
    for t in range(x.shape[1]):
        h, cache = cells.gru_step_forward(x[:, t], h, Wx, Wh, bx, bh)
        caches.append(cache)
    dh_carried, dx = np.zeros_like(h), np.empty_like(x)
    sums = [np.zeros_like(a) for a in (Wx, Wh, bx, bh)]
    for t in reversed(range(x.shape[1])):
        dx[:, t], dh_carried, *grads = cells.gru_step_backward(dh[:, t] + dh_carried, caches[t])
        sums = [s + g for s, g in zip(sums, grads, strict=True)]
    return dx, dh_carried, *sums


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small size only, few repeats")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs (default 5)")
    opts = parser.parse_args()
    sizes = SIZES[:1] if opts.quick else SIZES
    repeats = opts.repeats or (3 if opts.quick else 5)
    naive_repeats = 1 if opts.quick else 3

    print(
        f"numpy {np.__version__}, {os.cpu_count()} CPUs, load average before: "
        f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    print("matmul GF/s: a 1024x1024 @ 1024x1024 matmul, timed in turns with each row's run")
    print()
    header = (
        f"{'cell':<5} {'dtype':<8} {'N':>3} {'T':>4} {'D':>4} {'H':>4}"
        f" {'fwd+bwd ms':>11} {'GFLOP/s':>8} {'matmul GF/s':>12} {'fraction':>9}"
        f" {'naive ms':>9} {'speed-up':>9}"
    )
    print(header)
    print("-" * len(header))
    for N, T, D, H in sizes:
        for cell in ("rnn", "lstm", "gru"):
            G = GATES[cell]
            flops = 3 * 2 * N * T * (D + H) * G * H
            for dtype in (np.float32, np.float64):
                args, dh = make_inputs(cell, N, T, D, H, dtype)
                matmul, matmul_flops = reference_matmul(dtype)
                # the lambdas are called here, inside this iteration: bind its values anyway
                t_fast, t_matmul = median_times(
                    [lambda cell=cell, args=args, dh=dh: fast(cell, args, dh), matmul], repeats
                )
                # the fast run has warmed up BLAS and the allocator: no separate warm-up
                (t_naive,) = median_times(
                    [lambda cell=cell, args=args, dh=dh: naive(cell, args, dh)],
                    naive_repeats,
                    warm_up=False,
                )
                rate, ceiling = flops / t_fast / 1e9, matmul_flops / t_matmul / 1e9
                print(
                    f"{cell:<5} {np.dtype(dtype).name:<8} {N:>3} {T:>4} {D:>4} {H:>4}"
                    f" {t_fast * 1e3:>11.1f} {rate:>8.1f} {ceiling:>12.1f} {rate / ceiling:>9.0%}"
                    f" {t_naive * 1e3:>9.1f} {t_naive / t_fast:>8.1f}x"
                )
    print(f"\nload average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
