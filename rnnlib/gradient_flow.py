"""How much of a gradient reaches far-back steps: the experiments behind notebooks 04, 05, 08.

Three measurements, each a function that returns numbers (the plot functions in
:mod:`rnnlib.plotting.vanishing`, :mod:`rnnlib.plotting.lstm` and
:mod:`rnnlib.plotting.gru` only draw them):

- :func:`gradient_vs_bound`: ``||dL/dh_t||`` of a random vanilla RNN over ``t``,
  next to the Pascanu et al. (2013) bound ``(gamma * sigma_max(Wh))^(T - t)``, for
  one setting of the spectral radius, activation, length, input scale and seed
  (notebook 04's gradient explorer); :func:`observed_trend` names what the gradient
  did (vanishes, explodes, neither).
- :func:`gradient_flow_curves`: ``||dL/dx_{T-k}||`` against the lag ``k`` for a
  random tanh RNN and a random LSTM on the same inputs, the LSTM cell path's
  factor ``prod f``, and the LSTM's ``||dL/dc_{T-k}||`` split into the cell-state path
  alone and all paths (notebooks 04 and 05).
- :func:`update_gate_curves`: the memory ``z**k`` of a GRU state whose update gate
  is held at ``z = sigmoid(b_z)``, and ``||dL/dx_{T-k}||`` of random GRU, LSTM (forget
  bias ``b_z``) and RNN on the same inputs (notebook 08).

Conventions are those of :mod:`rnnlib.analysis`: row vectors,
``a_t = x_t @ Wx + h_{t-1} @ Wh + b``, ``h_t = f(a_t)`` for ``t = 1..T``; arrays over
time hold step ``t`` at index ``t - 1``; norms are returned as base-10 logarithms
because they span hundreds of decades.
"""

from __future__ import annotations

from functools import lru_cache
from numbers import Real
from typing import NamedTuple

import numpy as np

from rnnlib import analysis
from rnnlib._validate import check_int, check_number, check_rng
from rnnlib.activations import get_activation

__all__ = [
    "FLOW_H",
    "FLOW_N",
    "FLOW_T",
    "GAIN_N",
    "GAIN_T_MAX",
    "TREND_DECADES",
    "MEMORY_K",
    "GradientVsBound",
    "gradient_flow_curves",
    "gradient_vs_bound",
    "observed_trend",
    "rnn_gradient_curve",
    "update_gate_curves",
]

#: Sequences averaged by :func:`gradient_vs_bound`, and the longest T it draws inputs for.
GAIN_N = 8
GAIN_T_MAX = 200

#: A gradient "vanishes" (or "explodes") over the window when ||dL/dh_1|| / ||dL/dh_T||
#: falls below 10**-2 (or rises above 10**2).
TREND_DECADES = 2.0

#: Sequence length, hidden size and batch size of the RNN-against-LSTM comparison.
FLOW_T, FLOW_H, FLOW_N = 100, 16, 8

#: Lags of the memory curve ``z**k`` of :func:`update_gate_curves`.
MEMORY_K = 60


class GradientVsBound(NamedTuple):
    """What :func:`gradient_vs_bound` measures for one setting."""

    Wh: np.ndarray  # (H, H) the recurrent matrix
    log_norms: np.ndarray  # (N, T) log10 ||dL/dh_t|| per sequence, index t-1 holds step t
    log_mean: np.ndarray  # (T,) log10 of the batch mean of ||dL/dh_t||
    log_bound: np.ndarray  # (T,) log10 (gamma sigma_max)^(T - t)
    rho: float  # spectral radius of Wh
    sigma_max: float  # largest singular value of Wh
    gamma: float  # max |f'| of the activation
    regime: str  # analysis.pascanu_regime(Wh, activation)


def _log10_mean(log_norms):
    """log10 of the mean over axis 0 of ``10**log_norms``, without overflow (-inf stays)."""
    top = np.max(log_norms, axis=0)
    shift = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        out = shift + np.log10(np.mean(10.0 ** (log_norms - shift), axis=0))
    return np.where(np.isfinite(top), out, top)


def gradient_vs_bound(
    radius=1.0, activation="tanh", T=100, input_scale=1.0, kind="orthogonal", H=32, seed=0
):
    """``||dL/dh_t||`` of a random vanilla RNN, and the Pascanu bound, for one setting.

    The network is ``h_t = f(x_t + h_{t-1} @ Wh)`` (``Wx = I``, ``b = 0``, ``h_0 = 0``)
    with inputs ``x_t ~ input_scale * Normal(0, I)``, over ``N = 8`` sequences. The
    loss depends on ``h_T`` only, with ``dL/dh_T`` a random unit vector per sequence,
    so ``||dL/dh_t|| = ||dL/dh_T @ dh_T/dh_t||`` is the gain of ``T - t`` steps back and
    is bounded by ``(gamma * sigma_max(Wh))^(T - t)``.

    Parameters
    ----------
    radius : float
        Spectral radius ``rho(Wh)`` (largest eigenvalue modulus), > 0.
    activation : {"tanh", "sigmoid", "linear", "relu"}
    T : int
        Sequence length, 2 <= T.
    input_scale : float
        Standard deviation of the inputs, >= 0.
    kind : {"orthogonal", "gaussian"}
        ``Wh = radius * Q`` (every singular value equals ``radius``), or a Gaussian
        matrix rescaled to spectral radius ``radius`` (then ``sigma_max`` is larger,
        about ``1.7 * radius`` at H = 32 and close to ``2 * radius`` for large H).
        See :func:`rnnlib.analysis.matrix_with_spectral_radius`.
    H : int
        Hidden size.
    seed : int
        Seeds ``Wh``, the inputs and ``dL/dh_T``. The inputs are drawn for
        ``max(T, GAIN_T_MAX)`` steps and cropped, so changing ``T`` keeps the first
        steps' inputs.

    Returns
    -------
    GradientVsBound
        Norms as base-10 logarithms (they can span hundreds of decades); a norm of
        exactly 0 (every relu unit off) is ``-inf``.
    """
    T, H = check_int("T", T, low=2), check_int("H", H)
    input_scale = check_number("input_scale", input_scale)
    rng = check_rng("seed", seed)
    Wh = analysis.matrix_with_spectral_radius(H, radius, rng, kind)
    x = input_scale * rng.standard_normal((GAIN_N, max(T, GAIN_T_MAX), H))[:, :T]  # (N, T, H)
    dhT = rng.standard_normal((GAIN_N, H))
    dhT /= np.linalg.norm(dhT, axis=1, keepdims=True)  # unit: the result reads as a gain
    log_norms = analysis.hidden_gradient_norms(
        x,
        np.zeros((GAIN_N, H)),
        np.eye(H),
        Wh,
        np.zeros(H),
        activation,
        dhT=dhT,
        reduce="none",
        log10=True,
    )
    return GradientVsBound(
        Wh=Wh,
        log_norms=log_norms,
        log_mean=_log10_mean(log_norms),
        log_bound=analysis.pascanu_bound(Wh, activation, T, log10=True),
        rho=analysis.spectral_radius(Wh),
        sigma_max=float(analysis.singular_values(Wh)[0]),
        gamma=get_activation(activation).gamma,
        regime=analysis.pascanu_regime(Wh, activation),
    )


def observed_trend(log10_ratio, steps):
    """Name what a gradient did over ``steps`` steps back: vanishes, explodes, or neither.

    Parameters
    ----------
    log10_ratio : float
        ``log10(||dL/dh_t|| / ||dL/dh_T||)`` at the earliest step ``t``.
    steps : int
        ``T - t``, the number of steps back.

    Returns
    -------
    (str, float)
        ``"vanishes"`` (below 1/100 of where it started), ``"explodes"`` (above 100 times),
        ``"exactly 0"``, or ``"neither vanishes nor explodes"``; and the average factor per step,
        ``10**(log10_ratio / steps)``.
    """
    if isinstance(log10_ratio, bool) or not isinstance(log10_ratio, Real) or np.isnan(log10_ratio):
        raise ValueError(f"log10_ratio must be a real number or -inf, got {log10_ratio!r}")
    steps = check_int("steps", steps, low=0)
    if log10_ratio == -np.inf:
        return "exactly 0", 0.0
    with np.errstate(over="ignore"):  # a huge ratio: the factor is inf, and it explodes
        per_step = float(np.power(10.0, log10_ratio / max(steps, 1)))
    if log10_ratio < -TREND_DECADES:
        return "vanishes", per_step
    if log10_ratio > TREND_DECADES:
        return "explodes", per_step
    return "neither vanishes nor explodes", per_step


@lru_cache(maxsize=32)
def _cached_rnn_curve(T, H, N, scale, seed):
    curve = analysis.gradient_norm_vs_lag("rnn", H, T, seed, N=N, scale=scale, log10=True)
    curve.flags.writeable = False  # shared by the cache: nobody may change it
    return curve


def rnn_gradient_curve(T=FLOW_T, H=FLOW_H, N=FLOW_N, scale=1.0, seed=0):
    """log10 ``||dL/dx_{T-k}||`` against the lag ``k`` for the random tanh RNN, memoised.

    The RNN half of :func:`gradient_flow_curves`; it does not depend on the LSTM's
    forget bias, so it is computed once per ``(T, H, N, scale, seed)`` and kept
    (up to 32 settings). ``scale`` is rounded to 9 digits first: a slider's ``2**k``
    computed in a browser may differ from Python's in the last bit.

    Parameters
    ----------
    T, H, N : int
        Sequence length, hidden size, batch size.
    scale : float
        Recurrent weights have entries of standard deviation ``scale / sqrt(H)``.
    seed : int

    Returns
    -------
    numpy.ndarray, shape (T,)
        A new (writable) array; index ``k`` holds lag ``k``.
    """
    T, H, N = check_int("T", T), check_int("H", H), check_int("N", N)
    scale, seed = check_number("scale", scale, 0), check_int("seed", seed, low=0)
    return np.array(_cached_rnn_curve(T, H, N, round(scale, 9), seed))


def gradient_flow_curves(forget_bias=1.0, scale=1.0, T=FLOW_T, H=FLOW_H, N=FLOW_N, seed=0):
    """Gradient norms against the lag for a random RNN and a random LSTM on the same inputs.

    Both networks come from :func:`rnnlib.analysis.random_setup` with the same seed
    (same inputs ``x`` and the same unit vector ``dL/dh_T``); the loss is
    ``L = dL/dh_T . h_T``.

    Parameters
    ----------
    forget_bias : float
        The LSTM's forget-gate bias ``b_f`` (all other biases 0).
    scale : float
        Recurrent weights have entries of standard deviation ``scale / sqrt(H)``.
    T, H, N : int
        Sequence length, hidden size, batch size.
    seed : int

    Returns
    -------
    dict
        ``"lag"`` (T,): 0 .. T-1. ``"rnn"``, ``"lstm"`` (T,): ``log10`` of the batch
        mean of ``||dL/dx_{T-k}||`` at lag k. ``"forget_product"`` (T,): the mean over
        units and sequences of ``prod_{s=T-k+1}^{T} f_s``, the cell path's factor
        ``dc_T/dc_{T-k}`` (1 at lag 0). ``"lstm_dc"`` (T,): ``log10`` of the batch mean
        of ``||dL/dc_{T-k}||`` along all paths (the total derivative). ``"lstm_dc_cell_path"``
        (T,): the same along the cell state alone, ``log10`` mean of
        ``||dL/dc_T * prod_{s=T-k+1}^{T} f_s||`` (what the 1997 LSTM's truncated gradient
        keeps). ``"lstm_dh"`` (T,): ``log10`` mean of ``||dL/dh_{T-k}||``.

    Notes
    -----
    At lag 0 the two ``dc`` curves are equal. Their difference is what the paths that
    leave the cell state (through ``h``, ``W_h`` and the gates of later steps) add; with
    ``W_h = 0`` it is zero, in a random LSTM it is most of the gradient.
    """
    T, H, N = check_int("T", T), check_int("H", H), check_int("N", N)
    scale, seed = check_number("scale", scale, 0), check_int("seed", seed, low=0)
    forget_bias = check_number("forget_bias", forget_bias)
    p = analysis.random_setup("lstm", H, T, seed, N=N, scale=scale, forget_bias=forget_bias)
    # lstm_cell_gradient_flow renormalises the gradient at every step: no overflow, and
    # no subnormal numbers (which make arithmetic many times slower) when it vanishes
    flow = analysis.lstm_cell_gradient_flow(
        p["x"], p["h0"], p["c0"], p["Wx"], p["Wh"], p["b"], dhT=p["dhT"], log10=True
    )
    return {
        "lag": np.arange(T),
        "rnn": rnn_gradient_curve(T, H, N, scale, seed),
        "lstm": flow["dx"][::-1].copy(),  # index t-1 holds step t: reverse to order by lag
        "forget_product": flow["forget_product_mean"][::-1].copy(),
        "lstm_dc": flow["dc"][::-1].copy(),
        "lstm_dc_cell_path": flow["dc_cell_path"][::-1].copy(),
        "lstm_dh": flow["dh"][::-1].copy(),
    }


@lru_cache(maxsize=64)
def _cached_gate_curve(cell, bias, seed):
    kw = {"forget_bias": bias} if cell == "lstm" else {"update_bias": bias}
    curve = analysis.gradient_norm_vs_lag(cell, FLOW_H, FLOW_T, seed, N=FLOW_N, log10=True, **kw)
    curve.flags.writeable = False  # shared by the cache
    return curve


def update_gate_curves(update_bias=1.0, seed=0):
    """How long a GRU state lasts, and how far its gradient reaches, for update-gate bias ``b_z``.

    The numbers behind :func:`rnnlib.plotting.gru.plot_update_gate` (notebook 08).

    Parameters
    ----------
    update_bias : float
        ``b_z``; the LSTM of the right panel gets the same value as its forget bias.
    seed : int
        Seed of :func:`rnnlib.analysis.random_setup` (same inputs for all cells).

    Returns
    -------
    dict
        ``"k"`` (MEMORY_K + 1,) and ``"memory"``: ``sigmoid(b_z)**k``;
        ``"half_life"`` (float); ``"z"`` (float); ``"lag"`` (FLOW_T,) and ``"rnn"``,
        ``"gru"``, ``"lstm"``: ``log10`` of the batch mean of ``||dL/dx_{T-lag}||``.
    """
    b = check_number("update_bias", update_bias)
    seed = check_int("seed", seed, low=0)
    b = round(b, 9)  # a slider value computed in the browser may differ in the last bit
    k = np.arange(MEMORY_K + 1)
    return {
        "k": k,
        "memory": analysis.gate_memory(b, k),
        "half_life": analysis.gate_half_life(b),
        "z": float(analysis.gate_memory(b, [1])[0]),
        "lag": np.arange(FLOW_T),
        # the RNN has no gate: the bias does not matter
        "rnn": np.array(_cached_gate_curve("rnn", 0.0, seed)),
        "gru": np.array(_cached_gate_curve("gru", b, seed)),
        "lstm": np.array(_cached_gate_curve("lstm", b, seed)),
    }
