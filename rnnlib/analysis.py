"""Why gradients vanish or explode in a recurrent network, measured.

The functions here feed notebooks 04 (vanishing and exploding gradients) and
05 (gradient flow in an LSTM): Jacobian products, gradient norms per step, the
Pascanu et al. (2013) bound, and random weight matrices with a chosen spectral
radius or largest singular value.

Conventions of this module (read once, used everywhere)
--------------------------------------------------------
Row vectors, as in the rest of the course::

    a_t = x_t @ Wx + h_{t-1} @ Wh + b        h_t = f(a_t)        t = 1, ..., T

**Jacobians are in numerator layout**: ``(J_t)[i, j] = d h_t[i] / d h_{t-1}[j]``,
so row ``i`` belongs to the output. From ``h_t[i] = f(sum_j h_{t-1}[j] Wh[j, i] + ...)``::

    J_t = dh_t/dh_{t-1} = diag(f'(a_t)) @ Wh.T                          (H, H)
    dh_T/dh_t = J_T @ J_{T-1} @ ... @ J_{t+1}        (the identity when t = T)

A gradient is a row vector and multiplies a Jacobian from the left, which is
exactly one step of backpropagation through time::

    dL/dh_{t-1} = dL/dh_t @ J_t = (dL/dh_t * f'(a_t)) @ Wh.T
    dL/dh_t     = dL/dh_T @ dh_T/dh_t

Since ``||diag(f'(a))|| <= gamma`` (1 for tanh, relu and linear, 1/4 for
sigmoid) and ``||Wh.T|| = sigma_max(Wh)``, every factor has spectral norm at most
``gamma * sigma_max(Wh)``, hence the bound ``||dh_T/dh_t|| <= (gamma sigma_max)^(T-t)``.

**Time index**: an array over time holds step ``t`` at index ``t - 1`` (Python
index ``k = t - 1``), like ``h[:, k]`` holds ``h_t``. Only
:func:`gradient_norm_vs_lag` is ordered by lag ``T - t`` instead, as its name says.

**Numerics**: a gradient that shrinks by 1/4 per step underflows float64 after
about 500 steps (and float32 after 60), and passes through subnormal numbers
that make arithmetic many times slower; one that grows overflows. So the
backward loops here carry a *unit* vector (or unit-Frobenius-norm matrix) and add
the logarithm of the norm they divided out to a float64 running sum. Norms are
returned as float64 whatever the input dtype; ``log10=True`` returns their
base-10 logarithms, which never overflow (a norm of exactly 0 gives ``-inf``).
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np

from rnnlib._validate import (
    INPUT_HINT,
    check_array,
    check_batch,
    check_finite,
    check_int_array,
    check_number,
    check_rng,
)
from rnnlib.activations import Activation, get_activation
from rnnlib.sequence import gru_forward, lstm_forward

__all__ = [
    "BOUNDARY",
    "EXPLODING",
    "VANISHING",
    "gate_half_life",
    "gate_memory",
    "gradient_norm_vs_lag",
    "gru_gradient_flow",
    "hidden_gradient_norms",
    "jacobian_product_norms",
    "jacobian_products",
    "lstm_cell_gradient_flow",
    "matrix_with_singular_value",
    "matrix_with_spectral_radius",
    "orthogonal",
    "pascanu_bound",
    "pascanu_regime",
    "random_setup",
    "rnn_forward_activation",
    "singular_values",
    "spectral_radius",
    "step_jacobians",
]

MATRIX_KINDS = ("gaussian", "orthogonal", "symmetric")

#: The three answers of :func:`pascanu_regime`.
VANISHING = "vanishing guaranteed"
EXPLODING = "exploding possible"
BOUNDARY = "boundary: cannot explode, need not vanish"


# --------------------------------------------------------------------------- matrices


def spectral_radius(W):
    """Spectral radius ``rho(W) = max_i |lambda_i(W)|`` of a square matrix.

    Parameters
    ----------
    W : numpy.ndarray, shape (H, H)

    Returns
    -------
    float

    Notes
    -----
    ``rho(W) <= sigma_max(W)``, with equality for symmetric (normal) matrices. For a
    Gaussian matrix ``sigma_max`` is about ``2 rho`` once H is large: the spectral
    radius decides the long-run growth of ``W^n``, the largest singular value the
    worst single step, and only the latter enters the Pascanu bound.
    """
    _check_square("W", W)
    return float(np.max(np.abs(np.linalg.eigvals(W)), initial=0.0))


def singular_values(W):
    """Singular values of ``W``, largest first; ``sigma_max = singular_values(W)[0]``.

    Parameters
    ----------
    W : numpy.ndarray, shape (M, K)

    Returns
    -------
    numpy.ndarray, shape (min(M, K),)
        Non-negative, in decreasing order, dtype of ``W``.
    """
    check_array("W", W, "M, K", (None, None))
    check_finite("W", W, hint=INPUT_HINT)
    return np.linalg.svd(W, compute_uv=False)


def orthogonal(H, rng, dtype=np.float64):
    """A random orthogonal matrix ``Q`` (``Q.T @ Q = I``), uniform over the orthogonal group.

    ``Q`` comes from the QR decomposition of a Gaussian matrix ``G = Q R``, with
    each column of ``Q`` multiplied by the sign of ``R``'s diagonal entry, so that
    ``R`` has a positive diagonal and ``Q`` is unique.

    Parameters
    ----------
    H : int
    rng : numpy.random.Generator or int
        Random generator, or a seed for one.
    dtype : numpy dtype
        Computed in float64, then cast.

    Returns
    -------
    numpy.ndarray, shape (H, H)
        Every singular value and every eigenvalue's modulus is 1.

    Notes
    -----
    Without the sign fix ``Q`` is not uniformly distributed (LAPACK's sign choice
    leaks into it). The other orthogonal initialisation is the identity
    ``np.eye(H)`` (Le, Jaitly & Hinton 2015, for relu RNNs): it copies the state
    from step to step. Both sit on the Pascanu boundary ``sigma_max * gamma = 1``
    for tanh, relu and linear.
    """
    _check_size("H", H)
    G = _as_rng(rng).standard_normal((H, H))
    Q, R = np.linalg.qr(G)
    d = np.diag(R)
    return (Q * np.where(d < 0, -1.0, 1.0)).astype(dtype)  # scales column j by sign(R_jj)


def matrix_with_spectral_radius(H, radius, rng, kind="gaussian", dtype=np.float64):
    """A random ``(H, H)`` matrix scaled so that ``max_i |lambda_i(W)| = radius``.

    ``W = radius * W0 / rho(W0)`` for a random ``W0`` of the given kind.

    Parameters
    ----------
    H : int
    radius : float
        Wanted spectral radius, >= 0.
    rng : numpy.random.Generator or int
    kind : {"gaussian", "orthogonal", "symmetric"}
        ``W0`` with i.i.d. normal entries; orthogonal (then ``W = radius * Q`` and
        every singular value equals ``radius``); or symmetric Gaussian (then
        ``sigma_max = rho = radius``).
    dtype : numpy dtype
        Computed in float64, then cast (float32 keeps the radius to about 1e-7).

    Returns
    -------
    numpy.ndarray, shape (H, H)

    Notes
    -----
    For ``kind="gaussian"``, ``sigma_max(W)`` is about ``2 * radius`` for large H:
    a spectral radius of 1 does *not* put the network on the Pascanu boundary.
    """
    radius = _check_scale("radius", radius)
    W0 = _random_matrix(H, rng, kind)
    return (W0 * (radius / spectral_radius(W0))).astype(dtype)


def matrix_with_singular_value(H, sigma_max, rng, kind="gaussian", dtype=np.float64):
    """A random ``(H, H)`` matrix scaled so that its largest singular value is ``sigma_max``.

    ``W = sigma_max * W0 / sigma_max(W0)``; ``sigma_max(W) = ||W||_2`` is the
    quantity of the Pascanu bound.

    Parameters
    ----------
    H : int
    sigma_max : float
        Wanted largest singular value, >= 0.
    rng : numpy.random.Generator or int
    kind : {"gaussian", "orthogonal", "symmetric"}
        As for :func:`matrix_with_spectral_radius`.
    dtype : numpy dtype

    Returns
    -------
    numpy.ndarray, shape (H, H)
    """
    sigma_max = _check_scale("sigma_max", sigma_max)
    W0 = _random_matrix(H, rng, kind)
    return (W0 * (sigma_max / singular_values(W0)[0])).astype(dtype)


# --------------------------------------------------------------------------- vanilla RNN


def rnn_forward_activation(x, h0, Wx, Wh, b, activation="tanh"):
    """A vanilla RNN over T steps with any activation: ``h_t = f(x_t Wx + h_{t-1} Wh + b)``.

    The analysis twin of ``rnnlib.sequence.rnn_forward`` (which is tanh only and
    keeps a cache for backward); here the pre-activations are returned instead.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, D)
    h0 : numpy.ndarray, shape (N, H)
    Wx : numpy.ndarray, shape (D, H)
    Wh : numpy.ndarray, shape (H, H)
    b : numpy.ndarray, shape (H,)
    activation : {"tanh", "sigmoid", "linear", "relu"} or Activation

    Returns
    -------
    h : numpy.ndarray, shape (N, T, H)
        Hidden states ``h_1 .. h_T``.
    a : numpy.ndarray, shape (N, T, H)
        Pre-activations ``a_1 .. a_T``.

    Raises
    ------
    FloatingPointError
        If the states overflow (possible for linear and relu, whose states grow
        like ``rho(Wh)^t``).
    """
    _check_rnn(x, h0, Wx, Wh, b)
    act = _as_activation(activation)
    N, T, _ = x.shape
    ax = _matmul_steps(x, Wx) + b  # (N, T, H): all input projections at once, out of the loop
    a = np.empty(ax.shape, dtype=np.result_type(ax, h0, Wh))
    h = np.empty_like(a)
    h_prev = h0
    with np.errstate(over="ignore", invalid="ignore"):  # reported below, with advice
        for k in range(T):
            a[:, k] = ax[:, k] + h_prev @ Wh
            h[:, k] = h_prev = act.f(a[:, k])
    if not np.all(np.isfinite(h)):
        raise FloatingPointError(
            f"the hidden states overflowed ({act.name} activation, T={T}): states grow "
            "like (spectral radius of Wh)^t; lower the scale of Wh, the input scale or T"
        )
    return h, a


def step_jacobians(h, Wh, activation="tanh"):
    """The one-step Jacobians ``J_t = dh_t/dh_{t-1} = diag(f'(a_t)) Wh.T`` for t = 1..T.

    Parameters
    ----------
    h : numpy.ndarray, shape (N, T, H)
        Hidden states from :func:`rnn_forward_activation`; ``f'(a_t)`` is computed
        from them (``1 - h**2`` for tanh).
    Wh : numpy.ndarray, shape (H, H)
    activation : {"tanh", "sigmoid", "linear", "relu"} or Activation

    Returns
    -------
    numpy.ndarray, shape (N, T, H, H)
        ``J[n, t-1]``, numerator layout (module docstring): ``J[n, t-1, i, j] =
        d h_t[i] / d h_{t-1}[j]``.
    """
    dfa = _state_derivs(h, Wh, activation)
    return dfa[..., :, None] * Wh.T  # (N, T, H, H): row i scaled by f'(a_t)[i]


def jacobian_products(h, Wh, activation="tanh"):
    """The Jacobian products ``dh_T/dh_t = J_T J_{T-1} ... J_{t+1}`` for t = 1..T.

    Accumulated backwards from ``dh_T/dh_T = I`` by
    ``dh_T/dh_{t-1} = (dh_T/dh_t) J_t``, one stacked matmul per step.

    Parameters
    ----------
    h : numpy.ndarray, shape (N, T, H)
        Hidden states from :func:`rnn_forward_activation`.
    Wh : numpy.ndarray, shape (H, H)
    activation : {"tanh", "sigmoid", "linear", "relu"} or Activation

    Returns
    -------
    numpy.ndarray, shape (N, T, H, H)
        ``P[n, t-1] = dh_T/dh_t`` for sequence n, numerator layout; ``P[:, T-1] = I``.

    Raises
    ------
    FloatingPointError
        If an entry exceeds the dtype's range; use :func:`jacobian_product_norms`,
        which never overflows.

    Notes
    -----
    Memory is ``N T H^2`` numbers (52 MB in float64 for N=8, T=200, H=64): for
    plots use :func:`jacobian_product_norms`.
    """
    dfa = _state_derivs(h, Wh, activation)
    P = np.empty(h.shape + h.shape[-1:], dtype=h.dtype)
    step = np.empty(h.shape[:2], dtype=h.dtype)
    for k, P_k, norm in _backward_products(dfa, Wh):
        P[:, k], step[:, k] = P_k, norm
    with np.errstate(over="ignore"):
        P *= np.exp(_log_reverse_cumsum(step)).astype(P.dtype)[:, :, None, None]
    if not np.all(np.isfinite(P)):
        raise FloatingPointError(
            "the Jacobian products overflow the dtype (are Wh's entries that large?); "
            "use jacobian_product_norms(log10=True)"
        )
    return P


def jacobian_product_norms(h, Wh, activation="tanh", steps=None, reduce="mean", log10=False):
    """Spectral norms ``||dh_T/dh_t||_2`` (largest singular value) for t = 1..T.

    The quantity the Pascanu bound is about: the largest factor by which any
    gradient ``dL/dh_T`` can grow or shrink on its way back to ``h_t``. The
    products are accumulated as in :func:`jacobian_products`, then each one's
    largest singular value is computed exactly (SVD).

    Parameters
    ----------
    h : numpy.ndarray, shape (N, T, H)
        Hidden states from :func:`rnn_forward_activation`.
    Wh : numpy.ndarray, shape (H, H)
    activation : {"tanh", "sigmoid", "linear", "relu"} or Activation
    steps : array of int, shape (S,), optional
        The steps t (1 <= t <= T) to compute, for example
        ``np.linspace(1, T, 25).astype(int)`` for a quick plot. Default: all of them.
    reduce : {"mean", "none"}
        Mean over the batch (of the norms), or one row per sequence.
    log10 : bool
        Return ``log10`` of the norms.

    Returns
    -------
    numpy.ndarray, float64, shape (T,) or (S,) (``reduce="mean"``), else (N, T) or (N, S)
        Without ``steps``, index ``t - 1`` holds step t and the last entry is 1
        (``dh_T/dh_T = I``); with ``steps``, entry j holds step ``steps[j]``.

    Notes
    -----
    Cost: the SVDs dominate, one per requested step and sequence, about 0.3 ms
    each at H = 64 (measured on a 2-core machine: 60 ms for N = 1, T = 200, and
    0.4 s for N = 8). In a widget, pass ``steps`` or use
    :func:`hidden_gradient_norms`, which follows one gradient vector per
    sequence instead of a whole matrix.
    """
    dfa = _state_derivs(h, Wh, activation)
    N, T, _ = h.shape
    ks = np.arange(T) if steps is None else _check_steps(steps, T) - 1
    wanted = np.zeros(T, dtype=bool)
    wanted[ks] = True
    sigma, step = np.ones((N, T)), np.ones((N, T))
    for k, P_k, norm in _backward_products(dfa, Wh):
        step[:, k] = norm
        if wanted[k]:
            sigma[:, k] = np.linalg.svd(P_k, compute_uv=False)[:, 0]  # (N,)
        if k == ks.min():  # nothing earlier was asked for
            break
    with np.errstate(divide="ignore"):  # a zero product (dead relu units) -> -inf
        log_norm = np.log(sigma[:, ks]) + _log_reverse_cumsum(step)[:, ks]
    return _reduce_log_norms(log_norm, reduce, log10)


def hidden_gradient_norms(
    x, h0, Wx, Wh, b, activation="tanh", dhT=None, rng=None, reduce="mean", log10=False
):
    """``||dL/dh_t||`` for t = 1..T when the loss depends on the last hidden state only.

    Backpropagation through time from ``dL/dh_T = dhT``::

        dL/dh_{t-1} = (dL/dh_t * f'(a_t)) @ Wh.T        (= dL/dh_t @ J_t)

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, D)
    h0 : numpy.ndarray, shape (N, H)
    Wx : numpy.ndarray, shape (D, H)
    Wh : numpy.ndarray, shape (H, H)
    b : numpy.ndarray, shape (H,)
    activation : {"tanh", "sigmoid", "linear", "relu"} or Activation
    dhT : numpy.ndarray, shape (N, H), optional
        ``dL/dh_T``. Default: for each sequence an independent random direction of
        norm 1 (normal entries, normalised), drawn from ``rng``; so the last entry
        of the result is 1 and the result reads as a gain, comparable with
        :func:`pascanu_bound`.
    rng : numpy.random.Generator or int, optional
        Only used for the default ``dhT``; ``None`` means seed 0 (same call, same
        numbers).
    reduce : {"mean", "none"}
        The mean over the batch of the per-sequence norms, or all of them.
    log10 : bool
        Return ``log10`` of the norms.

    Returns
    -------
    numpy.ndarray, float64, shape (T,) (``reduce="mean"``) or (N, T)
        Index ``t - 1`` holds ``||dL/dh_t||``.

    Notes
    -----
    ``||dL/dh_t|| <= ||dhT|| * ||dh_T/dh_t||``: a random direction usually gets less
    than the worst-case factor of :func:`jacobian_product_norms`.
    """
    h, _ = rnn_forward_activation(x, h0, Wx, Wh, b, activation)
    dfa = _state_derivs(h, Wh, activation)
    dhT = _default_dhT(dhT, h.shape[0], h.shape[2], rng, h.dtype)
    _, log_norm = _rnn_state_gradients(dfa, Wh, dhT)
    return _reduce_log_norms(log_norm, reduce, log10)


def pascanu_bound(Wh, activation, T, log10=False):
    """The bound ``||dh_T/dh_t|| <= (gamma * sigma_max(Wh))^(T - t)`` for t = 1..T.

    Each factor ``J_k = diag(f'(a_k)) Wh.T`` has spectral norm at most
    ``gamma * sigma_max(Wh)``, where ``gamma = max |f'|`` (Pascanu, Mikolov &
    Bengio 2013).

    Parameters
    ----------
    Wh : numpy.ndarray, shape (H, H)
    activation : {"tanh", "sigmoid", "linear", "relu"} or Activation
        Supplies ``gamma``: 1 for tanh, linear and relu, 1/4 for sigmoid.
    T : int
    log10 : bool
        Return ``(T - t) * log10(gamma * sigma_max)`` instead.

    Returns
    -------
    numpy.ndarray, float64, shape (T,)
        Index ``t - 1`` holds the bound for step t; exponent 0 (value 1) at t = T.
    """
    _check_square("Wh", Wh)
    _check_size("T", T)
    base = float(singular_values(Wh)[0]) * _as_activation(activation).gamma
    exponent = np.arange(T - 1, -1, -1, dtype=np.float64)  # T - t for t = 1..T
    if log10:
        with np.errstate(divide="ignore", invalid="ignore"):  # base 0: -inf, and 0 * -inf
            return np.where(exponent == 0, 0.0, exponent * np.log10(base))
    with np.errstate(over="ignore"):
        bound = base**exponent
    if np.isinf(bound).any():
        raise FloatingPointError(
            f"(gamma * sigma_max(Wh))^(T-1) = {base:.3g}^{T - 1} exceeds float64; pass log10=True"
        )
    return bound


def pascanu_regime(Wh, activation, rtol=None):
    """What the Pascanu et al. (2013) conditions say about ``Wh`` with this activation.

    With ``gamma = max |f'|``:

    - ``sigma_max(Wh) < 1/gamma`` is **sufficient** for vanishing: every gradient
      through time shrinks at least geometrically -> ``"vanishing guaranteed"``.
    - ``sigma_max(Wh) > 1/gamma`` is **necessary** (not sufficient) for exploding:
      gradients *can* grow, whether they do depends on the states ->
      ``"exploding possible"``.
    - ``sigma_max(Wh) = 1/gamma`` (orthogonal or identity ``Wh`` with tanh, relu,
      linear): the bound is 1, so nothing can explode, and nothing is forced to
      vanish -> ``"boundary: cannot explode, need not vanish"``.

    Parameters
    ----------
    Wh : numpy.ndarray, shape (H, H)
    activation : {"tanh", "sigmoid", "linear", "relu"} or Activation
    rtol : float, optional
        Relative tolerance of the boundary test ``gamma * sigma_max == 1``;
        default ``sqrt(eps)`` of Wh's dtype (1.5e-8 in float64, 3.5e-4 in float32),
        so a computed orthogonal matrix counts as being on it.

    Returns
    -------
    str
        One of the three strings above (also ``VANISHING``, ``EXPLODING``,
        ``BOUNDARY`` in this module).
    """
    _check_square("Wh", Wh)
    rtol = float(np.sqrt(np.finfo(Wh.dtype).eps)) if rtol is None else check_number("rtol", rtol, 0)
    ratio = float(singular_values(Wh)[0]) * _as_activation(activation).gamma
    if abs(ratio - 1.0) <= rtol:
        return BOUNDARY
    return VANISHING if ratio < 1.0 else EXPLODING


# --------------------------------------------------------------------------- LSTM


def lstm_cell_gradient_flow(x, h0, c0, Wx, Wh, b, dhT=None, rng=None, reduce="mean", log10=False):
    """Gradient flow back through an LSTM when the loss depends on ``h_T`` only.

    Along the cell state alone (the "constant error carousel", ignoring every path
    through ``h`` and the gates), ``c_k = f_k * c_{k-1} + i_k * g_k`` gives::

        dc_T/dc_t |cell path = diag(f_{t+1} * f_{t+2} * ... * f_T)

    The full gradient follows the LSTM backward pass (gates stacked i, f, g, o)::

        dL/dc_t     = dL/dc_{t+1} * f_{t+1} + dL/dh_t * o_t * (1 - tanh(c_t)^2)
        dL/dh_{t-1} = [dL/dc_t * g_t * i_t(1-i_t), dL/dc_t * c_{t-1} * f_t(1-f_t),
                       dL/dc_t * i_t * (1-g_t^2), dL/dh_t * tanh(c_t) * o_t(1-o_t)] @ Wh.T

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, D)
    h0, c0 : numpy.ndarray, shape (N, H)
    Wx : numpy.ndarray, shape (D, 4H)
    Wh : numpy.ndarray, shape (H, 4H)
    b : numpy.ndarray, shape (4H,)
        Gates stacked i, f, g, o (PyTorch's order); ``b[H:2H]`` is the forget bias.
    dhT : numpy.ndarray, shape (N, H), optional
        ``dL/dh_T``; default a random unit vector per sequence (see
        :func:`hidden_gradient_norms`).
    rng : numpy.random.Generator or int, optional
        For the default ``dhT``; ``None`` means seed 0.
    reduce : {"mean", "none"}
        For the norms: mean over the batch, or one row per sequence.
    log10 : bool
        Return ``log10`` of the norms.

    Returns
    -------
    dict
        ``"forget_product"`` : (N, T, H), ``prod_{k=t+1}^{T} f_k`` at index t-1 (ones
        at t = T), the diagonal of ``dc_T/dc_t`` along the cell path.
        ``"forget_product_mean"`` : (T,), its mean over sequences and units.
        ``"dc_cell_path"`` : (T,) or (N, T), ``||dL/dc_T * prod_{k=t+1}^T f_k||``.
        ``"dc"`` : (T,) or (N, T), ``||dL/dc_t||``, all paths.
        ``"dh"`` : (T,) or (N, T), ``||dL/dh_t||``, all paths.
        ``"dx"`` : (T,) or (N, T), ``||dL/dx_t||``.
        The norms are float64; index t-1 holds step t.

    Notes
    -----
    ``dL/dc_t`` here is the *total* derivative, including the path through
    ``h_t = o_t * tanh(c_t)``: it is what the backward pass multiplies by ``f_t``
    to carry into ``c_{t-1}``. With ``h_t`` and ``c_t`` treated as separate inputs
    (``dh0, dc0`` of a sequence starting at step t) it equals
    ``dc0 + dh0 * o_t * (1 - tanh(c_t)^2)``.
    """
    h, cache = lstm_forward(x, h0, c0, Wx, Wh, b)  # checks every shape
    N, T, H = h.shape
    dhT = _default_dhT(dhT, N, H, rng, h.dtype)
    dh, dc, da, log_scale = _lstm_state_gradients(
        c0, cache.c, cache.i, cache.f, cache.g, cache.o, Wh, dhT
    )
    # log prod_{k=t+1}^{T} f_k: a reversed cumulative sum, shifted so that t = T is empty
    with np.errstate(divide="ignore"):  # a gate of exactly 0 gives log 0 = -inf
        log_f = np.log(cache.f.astype(np.float64))  # (N, T, H)
    log_prod = np.zeros_like(log_f)
    log_prod[:, :-1] = np.cumsum(log_f[:, :0:-1], axis=1)[:, ::-1]
    dcT = dhT * cache.o[:, -1] * (1 - np.tanh(cache.c[:, -1]) ** 2)  # (N, H): dL/dc_T
    with np.errstate(divide="ignore"):
        log_dcT = np.log(np.abs(dcT.astype(np.float64)))
    forget_product = np.exp(log_prod)
    return {
        "forget_product": forget_product,
        "forget_product_mean": forget_product.mean(axis=(0, 2)),
        "dc_cell_path": _reduce_log_norms(
            _log_norm_from_logs(log_dcT[:, None] + log_prod), reduce, log10
        ),
        "dc": _reduce_log_norms(_log_norm(dc) + log_scale, reduce, log10),
        "dh": _reduce_log_norms(_log_norm(dh) + log_scale, reduce, log10),
        "dx": _reduce_log_norms(_log_norm(_matmul_steps(da, Wx.T)) + log_scale, reduce, log10),
    }


# --------------------------------------------------------------------------- RNN vs LSTM


def random_setup(
    cell, H, T, rng, N=8, D=None, scale=1.0, input_scale=1.0, forget_bias=1.0, update_bias=1.0
):
    """A randomly initialised RNN (tanh), LSTM or GRU with random inputs, for lag experiments.

    Draws, in this order: ``x ~ input_scale * Normal(0, 1)``; ``dhT``, a random unit
    vector per sequence; ``Wx ~ Normal(0, 1/D)``; ``Wh ~ Normal(0, scale^2/H)``.
    ``h0 = c0 = 0``; ``b = 0`` except the LSTM's forget-gate block ``b[H:2H] =
    forget_bias``; for the GRU ``bh = 0`` and ``bx = 0`` except the update-gate block
    ``bx[H:2H] = update_bias``. The same integer seed therefore gives the three cells
    the same ``x`` and ``dhT``.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    H, T : int
    rng : numpy.random.Generator or int
    N : int
        Sequences in the batch.
    D : int, optional
        Input features; default H.
    scale : float
        ``Wh``'s entries have standard deviation ``scale / sqrt(H)``; for the RNN
        the spectral radius of ``Wh`` is then close to ``scale`` (circular law) and
        its largest singular value close to ``2 * scale``.
    input_scale : float
        Standard deviation of the inputs.
    forget_bias : float
        LSTM only. 0 puts the forget gates near ``sigmoid(0) = 0.5`` (memory halves
        every step); 1 or 2 is the usual initialisation (Jozefowicz et al. 2015).
    update_bias : float
        GRU only: the bias of the update gate z, the GRU's counterpart of the
        forget bias (the state keeps ``z * h_prev``).

    Returns
    -------
    dict
        ``x (N, T, D)``, ``h0 (N, H)``, ``Wx``, ``Wh``, ``b``, ``dhT (N, H)``, and for
        the LSTM ``c0 (N, H)``; LSTM weights are ``(D, 4H)``, ``(H, 4H)``, ``(4H,)``.
        The GRU has ``bx`` and ``bh`` (3H,) instead of ``b``, and weights
        ``(D, 3H)``, ``(H, 3H)``.
    """
    G = {"rnn": 1, "lstm": 4, "gru": 3}.get(cell) if isinstance(cell, str) else None
    if G is None:
        raise ValueError(f"cell must be 'rnn', 'lstm' or 'gru', got {cell!r}")
    for name, value in (("H", H), ("T", T), ("N", N)):
        _check_size(name, value)
    D = H if D is None else _check_size("D", D)
    scale, input_scale = _check_scale("scale", scale), _check_scale("input_scale", input_scale)
    if not isinstance(forget_bias, Real) or not np.isfinite(forget_bias):
        raise ValueError(f"forget_bias must be a finite number, got {forget_bias!r}")
    if not isinstance(update_bias, Real) or not np.isfinite(update_bias):
        raise ValueError(f"update_bias must be a finite number, got {update_bias!r}")
    rng = _as_rng(rng)
    x = input_scale * rng.standard_normal((N, T, D))
    dhT = _default_dhT(None, N, H, rng, np.float64)
    setup = {
        "x": x,
        "h0": np.zeros((N, H)),
        "Wx": rng.standard_normal((D, G * H)) / np.sqrt(D),
        "Wh": rng.standard_normal((H, G * H)) * (scale / np.sqrt(H)),
        "b": np.zeros(G * H),
        "dhT": dhT,
    }
    if cell == "lstm":
        setup["c0"] = np.zeros((N, H))
        setup["b"][H : 2 * H] = forget_bias
    if cell == "gru":  # two biases; the update gate z is block 1 of r, z, n
        bx = setup.pop("b")
        bx[H : 2 * H] = update_bias
        setup["bx"], setup["bh"] = bx, np.zeros(G * H)
    return setup


def gradient_norm_vs_lag(
    cell,
    H,
    T,
    rng,
    N=8,
    D=None,
    scale=1.0,
    input_scale=1.0,
    forget_bias=1.0,
    wrt="x",
    log10=False,
    update_bias=1.0,
):
    """How much the input ``lag`` steps back still moves the last state: ``||dL/dx_{T-lag}||``.

    For a network from :func:`random_setup` and ``L = dhT . h_T`` (so ``dL/dh_T =
    dhT``, a unit vector), the batch mean of ``||dL/dx_t||`` (or ``||dL/dh_t||``)
    against the lag ``T - t``. Call it for ``"rnn"``, ``"lstm"`` and ``"gru"`` with
    the same seed to compare them on the same inputs.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    H, T : int
    rng : numpy.random.Generator or int
    N, D, scale, input_scale, forget_bias, update_bias
        As for :func:`random_setup`.
    wrt : {"x", "h"}
        Gradient with respect to the inputs ``x_t`` or the hidden states ``h_t``.
    log10 : bool
        Return ``log10`` of the norms.

    Returns
    -------
    numpy.ndarray, float64, shape (T,)
        **Ordered by lag**: index ``lag`` holds step ``t = T - lag`` (index 0 is the
        last step).
    """
    if wrt not in ("x", "h"):
        raise ValueError(f"wrt must be 'x' or 'h', got {wrt!r}")
    p = random_setup(cell, H, T, rng, N, D, scale, input_scale, forget_bias, update_bias)
    if cell == "gru":
        _, cache = gru_forward(p["x"], p["h0"], p["Wx"], p["Wh"], p["bx"], p["bh"])
        dh, dax, log_scale = _gru_state_gradients(p["h0"], cache, p["Wh"], p["dhT"])
        log_norm = _log_norm(dh if wrt == "h" else _matmul_steps(dax, p["Wx"].T)) + log_scale
    elif cell == "rnn":
        h, _ = rnn_forward_activation(p["x"], p["h0"], p["Wx"], p["Wh"], p["b"], "tanh")
        dfa = _state_derivs(h, p["Wh"], "tanh")
        u, log_norm = _rnn_state_gradients(dfa, p["Wh"], p["dhT"])
        if wrt == "x":  # dL/dx_t = (dL/dh_t * f'(a_t)) @ Wx.T: all t in one matmul
            log_norm = log_norm + _log_norm(_matmul_steps(u * dfa, p["Wx"].T))
    else:
        _, cache = lstm_forward(p["x"], p["h0"], p["c0"], p["Wx"], p["Wh"], p["b"])
        gates = (cache.c, cache.i, cache.f, cache.g, cache.o)
        dh, _, da, log_scale = _lstm_state_gradients(p["c0"], *gates, p["Wh"], p["dhT"])
        log_norm = _log_norm(dh if wrt == "h" else _matmul_steps(da, p["Wx"].T)) + log_scale
    return _reduce_log_norms(log_norm, "mean", log10)[::-1].copy()


# --------------------------------------------------------------------------- GRU


def gate_memory(bias, steps):
    """What is left of a state after k steps of a gate held at ``sigmoid(bias)``: ``g**k``.

    A gate value g in (0, 1) that multiplies the old state at every step, the GRU's
    update gate z (``h_t = z h_{t-1} + (1 - z) n_t``) or the LSTM's forget gate f
    (``c_t = f c_{t-1} + i g_t``), makes the state a *leaky integrator*: with g fixed
    and nothing new written, ``h_{t+k} = g**k h_t``. The gradient along the same path
    is scaled by the same ``g**k`` (``dh_t/dh_{t-1} = z`` on the direct path).

    Parameters
    ----------
    bias : float
        The gate's pre-activation (its bias, with zero weights).
    steps : array_like of int, shape (K,)
        The lags k >= 0.

    Returns
    -------
    numpy.ndarray, float64, shape (K,)
        ``sigmoid(bias) ** k``.
    """
    g = _gate_value(bias)
    steps = check_int_array("steps", np.asarray(steps), "K,", (None,))
    return g ** steps.astype(np.float64)


def gate_half_life(bias):
    """Steps after which a gate held at ``sigmoid(bias)`` has halved the state: ``ln 0.5 / ln g``.

    Parameters
    ----------
    bias : float
        The gate's pre-activation.

    Returns
    -------
    float
        ``log(0.5) / log(sigmoid(bias))`` (not rounded: 1.0 at bias 0, about 2.2 at
        bias 1, 5.1 at bias 2); ``inf`` if the gate is exactly 1 in float64.
    """
    g = _gate_value(bias)
    log_g = np.log(g)
    return float(np.inf) if log_g == 0 else float(np.log(0.5) / log_g)


def gru_gradient_flow(x, h0, Wx, Wh, bx, bh, dhT=None, rng=None, reduce="mean", log10=False):
    """Gradient flow back through a GRU when the loss depends on ``h_T`` only.

    The GRU's state is its memory: ``h_t = z_t * h_{t-1} + (1 - z_t) * n_t``. Along
    the direct path alone (ignoring every path through the gates and n)::

        dh_T/dh_t |direct path = diag(z_{t+1} * z_{t+2} * ... * z_T)

    the counterpart of the LSTM's product of forget gates
    (:func:`lstm_cell_gradient_flow`). The full gradient follows
    :func:`rnnlib.sequence.gru_backward`.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, D)
    h0 : numpy.ndarray, shape (N, H)
    Wx : numpy.ndarray, shape (D, 3H)
    Wh : numpy.ndarray, shape (H, 3H)
    bx, bh : numpy.ndarray, shape (3H,)
        Gates stacked r, z, n (PyTorch's form); ``bx[H:2H] + bh[H:2H]`` is the
        update-gate bias.
    dhT : numpy.ndarray, shape (N, H), optional
        ``dL/dh_T``; default a random unit vector per sequence.
    rng : numpy.random.Generator or int, optional
        For the default ``dhT``; ``None`` means seed 0.
    reduce : {"mean", "none"}
    log10 : bool

    Returns
    -------
    dict
        ``"update_product"`` : (N, T, H), ``prod_{k=t+1}^{T} z_k`` at index t-1 (ones
        at t = T). ``"update_product_mean"`` : (T,), its mean over sequences and units.
        ``"dh_direct_path"`` : (T,) or (N, T), ``||dL/dh_T * prod_{k=t+1}^T z_k||``.
        ``"dh"`` : (T,) or (N, T), ``||dL/dh_t||``, all paths.
        ``"dx"`` : (T,) or (N, T), ``||dL/dx_t||``.
        Norms are float64; index t-1 holds step t.
    """
    h, cache = gru_forward(x, h0, Wx, Wh, bx, bh)  # checks every shape
    N, T, H = h.shape
    dhT = _default_dhT(dhT, N, H, rng, h.dtype)
    dh, dax, log_scale = _gru_state_gradients(h0, cache, Wh, dhT)
    with np.errstate(divide="ignore"):
        log_z = np.log(cache.z.astype(np.float64))  # (N, T, H)
        log_dhT = np.log(np.abs(dhT.astype(np.float64)))
    log_prod = np.zeros_like(log_z)
    log_prod[:, :-1] = np.cumsum(log_z[:, :0:-1], axis=1)[:, ::-1]
    update_product = np.exp(log_prod)
    return {
        "update_product": update_product,
        "update_product_mean": update_product.mean(axis=(0, 2)),
        "dh_direct_path": _reduce_log_norms(
            _log_norm_from_logs(log_dhT[:, None] + log_prod), reduce, log10
        ),
        "dh": _reduce_log_norms(_log_norm(dh) + log_scale, reduce, log10),
        "dx": _reduce_log_norms(_log_norm(_matmul_steps(dax, Wx.T)) + log_scale, reduce, log10),
    }


def _gru_state_gradients(h0, cache, Wh, dhT):
    """Backward through a GRU's states from ``dL/dh_T = dhT`` (a GRUCache's arrays).

    Returns ``dh`` (N, T, H), ``dax`` (N, T, 3H) (the gradient of the input part
    ``x_t @ Wx + bx``) and float64 ``log_scale`` (N, T): the true gradients are these
    times ``exp(log_scale[:, t-1])``. Same equations as ``sequence.gru_backward``.
    """
    r, z, n, ah_n = cache.r, cache.z, cache.n, cache.ah_n
    N, T, H = z.shape
    h_prev = np.concatenate([h0[:, None].astype(z.dtype), cache.h[:, :-1]], axis=1)
    dtype = np.result_type(z, dhT)
    dh_all, dax = np.empty((N, T, H), dtype), np.empty((N, T, 3 * H), dtype)
    step = np.ones((N, T), dtype)
    dh, step[:, -1] = _normalise(dhT)
    WhT = Wh.T
    for k in range(T - 1, -1, -1):
        dh_all[:, k] = dh
        dan = dh * (1 - z[:, k]) * (1 - n[:, k] ** 2)
        da_r = dan * ah_n[:, k] * r[:, k] * (1 - r[:, k])
        da_z = dh * (h_prev[:, k] - n[:, k]) * z[:, k] * (1 - z[:, k])
        dax[:, k] = np.concatenate([da_r, da_z, dan], axis=1)
        if k > 0:  # to h_{t-1}: directly through z, and through the three blocks
            dah = np.concatenate([da_r, da_z, dan * r[:, k]], axis=1)
            dh, step[:, k - 1] = _normalise(dh * z[:, k] + dah @ WhT)
    return dh_all, dax, _log_reverse_cumsum(step)


def _gate_value(bias):
    if not isinstance(bias, Real) or not np.isfinite(bias):
        raise ValueError(f"bias must be a finite number, got {bias!r}")
    return 1.0 / (1.0 + np.exp(-float(bias)))


# --------------------------------------------------------------------------- private: loops


def _backward_products(dfa, Wh):
    """Yield ``(k, P, norm)`` for k = T-1, ..., 0, where ``P`` is ``dh_T/dh_{k+1}`` up to a factor.

    ``P`` (N, H, H) has unit Frobenius norm per sequence and ``norm`` (N,) is the
    factor divided out at this step: ``dh_T/dh_{k+1}`` is ``P`` times the product
    of all norms yielded so far, see :func:`_log_reverse_cumsum`.
    """
    N, T, H = dfa.shape
    P, norm = _normalise(np.broadcast_to(np.eye(H, dtype=dfa.dtype), (N, H, H)))
    yield T - 1, P, norm
    WhT = Wh.T
    for k in range(T - 1, 0, -1):
        # dh_T/dh_{t-1} = (dh_T/dh_t) diag(f'(a_t)) Wh.T: scale P's columns, then one
        # (H, H) @ (H, H) product per sequence. (One (N*H, H) @ (H, H) matmul would be
        # big enough for OpenBLAS to start threads, which costs more than it saves here.)
        P = (P * dfa[:, k, None, :]) @ WhT
        P, norm = _normalise(P)
        yield k - 1, P, norm


def _rnn_state_gradients(dfa, Wh, dhT):
    """Directions and log norms of ``dL/dh_t`` for an RNN, from ``dL/dh_T = dhT``.

    Returns ``u`` (N, T, H), unit vectors (or zeros), and float64 ``log_norm``
    (N, T), with ``dL/dh_t = exp(log_norm[:, t-1]) * u[:, t-1]``.
    """
    N, T, H = dfa.shape
    u = np.empty(dfa.shape, dtype=np.result_type(dfa, dhT))
    step = np.empty((N, T), dtype=u.dtype)  # the norm divided out at each step
    u[:, -1], step[:, -1] = _normalise(dhT)
    WhT = Wh.T
    for k in range(T - 1, 0, -1):  # from h_t (index k) back to h_{t-1} (index k-1)
        u[:, k - 1], step[:, k - 1] = _normalise((u[:, k] * dfa[:, k]) @ WhT)
    return u, _log_reverse_cumsum(step)


def _lstm_state_gradients(c0, c, i, f, g, o, Wh, dhT):
    """Backward through an LSTM's states from ``dL/dh_T = dhT`` (all arrays (N, T, H)).

    Returns ``dh`` (N, T, H), ``dc`` (N, T, H), ``da`` (N, T, 4H) and float64
    ``log_scale`` (N, T): the true ``dL/dh_t``, ``dL/dc_t`` (total) and ``dL/da_t``
    are these times ``exp(log_scale[:, t-1])``. One common factor per sequence
    and step keeps (dh, dc) jointly of norm 1, so nothing under- or overflows.
    """
    N, T, H = c.shape
    c_prev = np.concatenate([c0[:, None].astype(c.dtype), c[:, :-1]], axis=1)  # (N, T, H)
    tc = np.tanh(c)
    dc_from_h = o * (1 - tc**2)  # dh_t -> dc_t, through h_t = o_t tanh(c_t)
    # dL/da_t = [dc, dc, dc, dh] * coef: local derivatives of the i, f, g, o blocks
    coef = np.concatenate(
        [g * i * (1 - i), c_prev * f * (1 - f), i * (1 - g**2), tc * o * (1 - o)], axis=2
    )  # (N, T, 4H)
    dtype = np.result_type(coef, dhT)
    dh_all, dc_all = np.empty((N, T, H), dtype), np.empty((N, T, H), dtype)
    da = np.empty(coef.shape, dtype)
    step = np.ones((N, T), dtype)
    dh, step[:, -1] = _normalise(dhT)
    dc = np.zeros_like(dh)  # nothing flows into c_T from the future
    WhT = Wh.T
    for k in range(T - 1, -1, -1):
        dc = dc + dh * dc_from_h[:, k]  # total dL/dc_t: from c_{t+1} PLUS through h_t
        dh_all[:, k], dc_all[:, k] = dh, dc
        da[:, k] = np.concatenate([dc, dc, dc, dh], axis=1) * coef[:, k]
        if k > 0:  # to h_{t-1} through the gates, and to c_{t-1} through f_t
            both = np.concatenate([da[:, k] @ WhT, dc * f[:, k]], axis=1)  # (N, 2H)
            both, step[:, k - 1] = _normalise(both)
            dh, dc = both[:, :H], both[:, H:]
    return dh_all, dc_all, da, _log_reverse_cumsum(step)


# --------------------------------------------------------------------------- private: helpers


def _matmul_steps(A, W):
    """``A @ W`` for ``A`` (N, T, K) as ONE (N*T, K) @ (K, M) matmul; returns (N, T, M).

    ``A @ W`` on a 3-D array would call BLAS once per sequence, and on a busy
    machine each threaded BLAS call can wait for a free core.
    """
    N, T, K = A.shape
    return (A.reshape(N * T, K) @ W).reshape(N, T, W.shape[1])


def _normalise(v):
    """Divide each sequence's slice ``v[n]`` by its norm; return it and the norms (N,).

    A zero slice (dead relu units) stays zero, with norm 0.
    """
    flat = v.reshape(len(v), -1)
    with np.errstate(over="ignore"):
        norm = np.sqrt(np.einsum("ni,ni->n", flat, flat))
    if np.isinf(norm).any():  # squares beyond the dtype's range: scale by max |v| first
        top = np.abs(flat).max(axis=1)
        big = np.isinf(norm) & np.isfinite(top)
        scaled = flat[big] / top[big, None]
        norm[big] = top[big] * np.sqrt(np.einsum("ni,ni->n", scaled, scaled))
    tiny = np.finfo(norm.dtype).tiny
    return v / np.maximum(norm, tiny).reshape((-1,) + (1,) * (v.ndim - 1)), norm


def _log_reverse_cumsum(step):
    """``log_scale[:, k] = sum_{j >= k} log step[:, j]`` in float64 (N, T).

    The backward loops divide out ``step[:, k-1]`` when they move from index k to
    k-1, so the true quantity at index k is the stored one times the product of
    every factor divided out on the way there, from the last step down to k.
    """
    with np.errstate(divide="ignore"):  # a zero norm -> -inf, and -inf stays -inf
        log_step = np.log(step.astype(np.float64))
    return np.cumsum(log_step[:, ::-1], axis=1)[:, ::-1]


def _log_norm(v):
    """float64 ``log ||v[..., :]||`` over the last axis (``-inf`` for a zero vector)."""
    with np.errstate(divide="ignore"):
        return np.log(np.linalg.norm(v, axis=-1).astype(np.float64))


def _log_norm_from_logs(log_abs):
    """``log ||v||`` over the last axis from ``log |v|``, without forming ``v``."""
    top = log_abs.max(axis=-1, keepdims=True)
    shift = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        out = shift + 0.5 * np.log(np.sum(np.exp(2 * (log_abs - shift)), axis=-1, keepdims=True))
    return np.where(np.isfinite(top), out, top)[..., 0]


def _reduce_log_norms(log_norm, reduce, log10):
    """(N, T) natural-log norms -> batch mean of the norms (T,) or all (N, T), as asked."""
    if reduce == "mean":  # log(mean(exp(l))) without overflow: shift by the maximum
        top = log_norm.max(axis=0)
        shift = np.where(np.isfinite(top), top, 0.0)
        with np.errstate(divide="ignore"):
            out = shift + np.log(np.mean(np.exp(log_norm - shift), axis=0))
        out = np.where(np.isfinite(top), out, top)
    elif reduce == "none":
        out = log_norm
    else:
        raise ValueError(f"reduce must be 'mean' or 'none', got {reduce!r}")
    if log10:
        return out / np.log(10.0)
    with np.errstate(over="ignore"):
        norms = np.exp(out)
    if np.isinf(norms).any():
        raise FloatingPointError(
            "a gradient norm exceeds float64's range (are Wh's entries that large?); "
            "pass log10=True"
        )
    return norms


def _state_derivs(h, Wh, activation):
    """Validate ``h`` and ``Wh``; return ``f'(a_t)`` (N, T, H) from the states."""
    check_array("h", h, "N, T, H", (None, None, None))
    check_batch("h", h)
    H = h.shape[2]
    check_array("Wh", Wh, "H, H", (H, H))
    check_finite("h", h, hint=INPUT_HINT)
    check_finite("Wh", Wh, hint=INPUT_HINT)
    act = _as_activation(activation)
    lo, hi = STATE_RANGES.get(act.name, (-np.inf, np.inf))
    if h.size and (h.min() < lo or h.max() > hi):
        raise ValueError(
            f"h must hold the states of a {act.name} RNN, in [{lo:g}, {hi:g}], got values "
            f"from {h.min():.3g} to {h.max():.3g} (pre-activations instead of states?)"
        )
    return act.deriv(h)


# What a state can be after each activation: f'(a) is read from it, so a value
# outside the range is a pre-activation passed by mistake.
STATE_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}


def _default_dhT(dhT, N, H, rng, dtype):
    if dhT is not None:
        check_array("dhT", dhT, "N, H", (N, H))
        return check_finite("dhT", dhT, hint=INPUT_HINT)
    v = _as_rng(0 if rng is None else rng).standard_normal((N, H))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(dtype)


def _random_matrix(H, rng, kind):
    _check_size("H", H)
    if kind == "orthogonal":
        return orthogonal(H, rng)
    G = _as_rng(rng).standard_normal((H, H)) / np.sqrt(H)
    if kind == "gaussian":
        return G
    if kind == "symmetric":
        return (G + G.T) / np.sqrt(2)
    raise ValueError(f"kind must be one of {MATRIX_KINDS}, got {kind!r}")


def _as_activation(activation):
    return activation if isinstance(activation, Activation) else get_activation(activation)


def _as_rng(rng):
    if rng is None:  # here a figure must come out the same: no seed from the OS
        raise ValueError("rng must be a numpy.random.Generator or an int seed >= 0, got None")
    return check_rng("rng", rng)


def _check_size(name, n):
    if not isinstance(n, Integral) or isinstance(n, bool) or n < 1:
        raise ValueError(f"{name} must be a positive int, got {n!r}")
    return int(n)


def _check_scale(name, value):
    if not isinstance(value, Real) or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def _check_steps(steps, T):
    steps = check_int_array("steps", np.asarray(steps), "S,", (None,))
    if steps.size == 0 or steps.min() < 1 or steps.max() > T:
        raise ValueError(f"steps must hold steps t with 1 <= t <= T = {T}, got {steps}")
    return steps


def _check_square(name, W):
    check_array(name, W, "H, H", (None, None))
    check_array(name, W, "H, H", (W.shape[0], W.shape[0]))
    check_finite(name, W, hint=INPUT_HINT)


def _check_rnn(x, h0, Wx, Wh, b):
    check_array("x", x, "N, T, D", (None, None, None))
    check_batch("x", x)
    N, T, D = x.shape
    _check_size("T (x.shape[1])", T)
    H = check_array("h0", h0, "N, H", (N, None)).shape[1]
    check_array("Wx", Wx, "D, H", (D, H))
    check_array("Wh", Wh, "H, H", (H, H))
    check_array("b", b, "H,", (H,))
    for name, a in dict(x=x, h0=h0, Wx=Wx, Wh=Wh, b=b).items():
        check_finite(name, a, hint=INPUT_HINT)
