"""Fresh random inputs for the hidden tests, made at build time (needs numpy).

Each maker takes a ``numpy.random.Generator`` and returns a list of argument tuples.
Sizes are drawn too, so that an answer that hard-codes the checker's example (its
shapes or its numbers) fails. An argument may be a :class:`Wrap`: the hidden test
rebuilds it (a named tuple, a function given by its source) before the call.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Wrap(NamedTuple):
    """An argument the hidden test rebuilds: ``kind`` "namedtuple" (``spec`` = (type name,
    field names), ``data`` = values) or "function" (``spec`` = its name, ``data`` = source)."""

    kind: str
    spec: object
    data: object


def unwrap(arg):
    """What the reference solution is called with at build time (as the hidden test does)."""
    if not isinstance(arg, Wrap):
        return arg
    if arg.kind == "namedtuple":
        from collections import namedtuple

        name, fields = arg.spec
        return namedtuple(name, fields)(*arg.data)
    namespace = {"np": np}
    exec(arg.data, namespace)  # noqa: S102 - our own source, below
    return namespace[arg.spec]


def _sizes(rng, **ranges):
    return {k: int(rng.integers(lo, hi + 1)) for k, (lo, hi) in ranges.items()}


def rnn_step(rng, n=3):
    out = []
    for _ in range(n):
        s = _sizes(rng, N=(1, 5), D=(2, 6), H=(2, 7))
        out.append(
            (
                rng.standard_normal((s["N"], s["D"])),
                rng.standard_normal((s["N"], s["H"])),
                0.5 * rng.standard_normal((s["D"], s["H"])),
                0.5 * rng.standard_normal((s["H"], s["H"])),
                0.3 * rng.standard_normal(s["H"]),
            )
        )
    return out


def rnn_sequence(rng, n=3):
    out = []
    for _ in range(n):
        s = _sizes(rng, N=(1, 4), T=(2, 9), D=(2, 5), H=(2, 6))
        out.append(
            (
                rng.standard_normal((s["N"], s["T"], s["D"])),
                rng.standard_normal((s["N"], s["H"])),
                0.5 * rng.standard_normal((s["D"], s["H"])),
                0.5 * rng.standard_normal((s["H"], s["H"])),
                0.3 * rng.standard_normal(s["H"]),
            )
        )
    return out


#: Smooth scalar functions of an array for the central-difference test (source, so that
#: the hidden test defines exactly the function the expected values were computed with).
_FUNCTIONS = {
    "f_exp_cos": "def f_exp_cos(x):\n    return float(np.sum(np.exp(0.3 * x) * np.cos(x)))\n",
    "f_coupled": "def f_coupled(x):\n    v = x.reshape(-1)\n"
    "    return float(np.sum(v**3) / 3 + v[0] * v[-1] + np.sum(np.tanh(v)))\n",
}


def central_difference(rng, n=2):
    out = []
    for k, (name, src) in enumerate(_FUNCTIONS.items()):
        shape = (
            (int(rng.integers(2, 4)), int(rng.integers(2, 4)))
            if k % 2 == 0
            else (int(rng.integers(3, 7)),)
        )
        out.append(
            (
                Wrap("function", name, src),
                rng.uniform(-1.2, 1.2, size=shape),
                float(rng.choice([1e-5, 2e-5])),
            )
        )
    return out[:n]


def mlp_backward(rng, n=2):
    out = []
    for _ in range(n):
        s = _sizes(rng, N=(2, 5), D=(2, 5), H=(3, 6), M=(1, 4))
        x = rng.standard_normal((s["N"], s["D"]))
        W1 = 0.7 * rng.standard_normal((s["D"], s["H"]))
        W2 = 0.7 * rng.standard_normal((s["H"], s["M"]))
        h1 = np.tanh(x @ W1 + 0.2 * rng.standard_normal(s["H"]))
        out.append((rng.standard_normal((s["N"], s["M"])), x, h1, W1, W2))
    return out


def sigmoid_step_backward(rng, n=2):
    out = []
    for _ in range(n):
        s = _sizes(rng, N=(2, 5), D=(2, 5), H=(2, 6))
        x = rng.standard_normal((s["N"], s["D"]))
        h_prev = rng.standard_normal((s["N"], s["H"]))
        Wx = rng.standard_normal((s["D"], s["H"])) / np.sqrt(s["D"])
        Wh = rng.standard_normal((s["H"], s["H"])) / np.sqrt(s["H"])
        h_next = 1 / (1 + np.exp(-(x @ Wx + h_prev @ Wh + 0.1 * rng.standard_normal(s["H"]))))
        cache = Wrap(
            "namedtuple",
            ("RNNStepCache", ("x", "h_prev", "h_next", "Wx", "Wh")),
            (x, h_prev, h_next, Wx, Wh),
        )
        out.append((rng.standard_normal((s["N"], s["H"])), cache))
    return out


def rnn_backward(rng, n=2):
    out = []
    for _ in range(n):
        x, h0, Wx, Wh, b = rnn_sequence(rng, 1)[0]
        h = np.empty(x.shape[:2] + (h0.shape[1],))
        h_t = h0
        for t in range(x.shape[1]):
            h_t = np.tanh(x[:, t] @ Wx + h_t @ Wh + b)
            h[:, t] = h_t
        out.append((rng.standard_normal(h.shape), x, h0, h, Wx, Wh))
    return out


def pascanu_bound(rng, n=3):
    out = []
    for gamma in (1.0, 0.25, 0.5)[:n]:
        H, T = int(rng.integers(3, 9)), int(rng.integers(4, 30))
        out.append((rng.uniform(0.5, 2.0) * rng.standard_normal((H, H)) / np.sqrt(H), gamma, T))
    return out


def no_arguments(rng, n=1):
    return [()]


def clip_grad_norm(rng, n=3):
    out = []
    for k in range(n):
        grads = {
            name: rng.standard_normal(tuple(int(d) for d in rng.integers(1, 5, size=nd)))
            for name, nd in (("W", 2), ("b", 1), ("U", 2))
        }
        norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
        # above the threshold, below it, and exactly at it (where it clips: "at least")
        max_norm = (norm * rng.uniform(0.2, 0.8), norm * rng.uniform(1.2, 3.0), norm)[k % 3]
        out.append((grads, float(max_norm)))
    return out


def lstm_step(rng, n=2):
    out = []
    for _ in range(n):
        s = _sizes(rng, N=(1, 4), D=(2, 5), H=(2, 5))
        N, D, H = s["N"], s["D"], s["H"]
        out.append(
            (
                rng.standard_normal((N, D)),
                rng.standard_normal((N, H)),
                rng.standard_normal((N, H)),
                rng.standard_normal((D, 4 * H)) / np.sqrt(D),
                rng.standard_normal((H, 4 * H)) / np.sqrt(H),
                0.5 * rng.standard_normal(4 * H),
            )
        )
    return out


def adding_target(rng, n=2):
    out = []
    for _ in range(n):
        N, T = int(rng.integers(3, 9)), int(rng.integers(4, 20))
        x = np.zeros((N, T, 2))
        x[:, :, 0] = rng.uniform(-1, 1, size=(N, T))
        for i in range(N):
            x[i, rng.choice(T, size=2, replace=False), 1] = 1.0
        out.append((x,))
    return out


def success_rate(rng, n=2):
    out = []
    for _ in range(n):
        N = int(rng.integers(8, 30))
        y = rng.uniform(0, 1, size=(N, 1))
        err = rng.choice([-1, 1], size=(N, 1)) * rng.uniform(0, 0.1, size=(N, 1))
        err[np.abs(np.abs(err) - 0.04) < 1e-3] = 0.0  # nothing on the edge of the tolerance
        out.append((y + err, y))
    return out


def matching_rnn_size(rng, n=4):
    return [
        (int(rng.integers(3, 80)), int(rng.integers(1, 30)), int(rng.integers(1, 30)))
        for _ in range(n)
    ]


def softmax_temperature(rng, n=3):
    V = int(rng.integers(5, 40))
    logits = 2 * rng.standard_normal(V)
    huge = np.concatenate(([900.0, 897.0], rng.uniform(-900, 880, size=V - 2)))
    return [
        (logits, float(rng.uniform(0.3, 0.9))),
        (logits, float(rng.uniform(1.5, 3.0))),
        (huge, float(rng.uniform(0.02, 0.1))),
    ][:n]


def bits_and_perplexity(rng, n=3):
    return [(float(v),) for v in rng.uniform(0.5, 5.0, size=n)]


def gru_step(rng, n=2):
    """Inputs of one GRU step (gates stacked r, z, n), with its two biases."""
    out = []
    for _ in range(n):
        s = _sizes(rng, N=(1, 4), D=(2, 5), H=(2, 5))
        N, D, H = s["N"], s["D"], s["H"]
        out.append(
            (
                rng.standard_normal((N, D)),
                rng.standard_normal((N, H)),
                rng.standard_normal((D, 3 * H)) / np.sqrt(D),
                rng.standard_normal((H, 3 * H)) / np.sqrt(H),
                0.5 * rng.standard_normal(3 * H),
                0.5 * rng.standard_normal(3 * H),
            )
        )
    return out


#: The fields of ``rnnlib.cells.GRUStepCache``, in its order (a learner may unpack it).
GRU_CACHE_FIELDS = ("x", "h_prev", "r", "z", "n", "ah_n", "h_next", "Wx", "Wh")


def gru_step_backward(rng, n=2):
    """``(dh_next, cache)`` of one GRU step; the cache is built here from plain arrays,
    by PyTorch's equations, so that the hidden test does not need rnnlib."""
    out = []
    for x, h_prev, Wx, Wh, bx, bh in gru_step(rng, n):
        H = h_prev.shape[1]
        ax, ah = x @ Wx + bx, h_prev @ Wh + bh
        r = 1 / (1 + np.exp(-(ax[:, :H] + ah[:, :H])))
        z = 1 / (1 + np.exp(-(ax[:, H : 2 * H] + ah[:, H : 2 * H])))
        ah_n = ah[:, 2 * H :]
        n_ = np.tanh(ax[:, 2 * H :] + r * ah_n)
        h_next = (1 - z) * n_ + z * h_prev
        cache = Wrap(
            "namedtuple",
            ("GRUStepCache", GRU_CACHE_FIELDS),
            (x, h_prev, r, z, n_, ah_n, h_next, Wx, Wh),
        )
        out.append((rng.standard_normal(h_prev.shape), cache))
    return out


def dot_attention(rng, n=3):
    """``(q, K, mask)``: every example has at least one real position; one case has no
    padding at all, and one has large scores (a peaked softmax)."""
    out = []
    for k in range(n):
        s = _sizes(rng, N=(1, 4), S=(2, 9), H=(2, 6))
        N, S, H = s["N"], s["S"], s["H"]
        lengths = np.full(N, S) if k == 1 else rng.integers(1, S + 1, size=N)
        mask = np.arange(S)[None, :] < lengths[:, None]
        scale = 3.0 if k == 2 else 1.0
        out.append(
            (scale * rng.standard_normal((N, H)), scale * rng.standard_normal((N, S, H)), mask)
        )
    return out
