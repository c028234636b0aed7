"""Optimizers (SGD, momentum, Adagrad, Adam) and gradient clipping (by norm, by value).

Parameters and gradients are dicts of arrays with the same keys
(``{"Wx": ..., "Wh": ..., ...}``). An optimizer's ``step(params, grads)`` updates the
parameter arrays **in place**: the optimizer is the one place in ``rnnlib`` that
mutates its arguments, so that a model holding ``params`` sees the update without
re-assigning anything. The clipping functions also rescale ``grads`` in place.

Each optimizer keeps its state (velocity, squared-gradient sums, moments) per key,
in the parameter's dtype, so float32 training stays float32.
"""

from __future__ import annotations

import numpy as np

from rnnlib._validate import check_finite, check_number

__all__ = [
    "SGD",
    "Adagrad",
    "Adam",
    "Momentum",
    "Optimizer",
    "clip_grad_norm",
    "clip_grad_value",
    "global_norm",
]


def _check_dict(name, d):
    if not isinstance(d, dict):
        raise ValueError(f"{name} must be a dict of numpy arrays, got {type(d).__name__}")
    for k, a in d.items():
        if not isinstance(a, np.ndarray) or not np.issubdtype(a.dtype, np.floating):
            got = a.dtype if isinstance(a, np.ndarray) else type(a).__name__
            raise ValueError(f"{name}[{k!r}] must be a float numpy array, got {got}")


def _check_pair(params, grads):
    """Same keys, same shapes, finite gradients; a clear error otherwise."""
    _check_dict("params", params)
    _check_dict("grads", grads)
    missing = sorted(set(params) - set(grads))
    extra = sorted(set(grads) - set(params))
    if missing:
        raise ValueError(f"grads has no entry for the parameters {missing}")
    if extra:
        raise ValueError(
            f"grads has keys that are not parameters: {extra}; pass only the parameter "
            "gradients, e.g. {k: grads[k] for k in params} (SequenceModel.loss also "
            "returns the input gradient 'x')"
        )
    for k, p in params.items():
        g = grads[k]
        if np.shape(g) != p.shape:
            raise ValueError(
                f"grads[{k!r}] must have the shape of params[{k!r}], {p.shape}, got {np.shape(g)}"
            )
        check_finite(f"grads[{k!r}]", g)


def _check_decay(name, beta):
    beta = check_number(name, beta, 0)
    if not beta < 1:
        raise ValueError(f"{name} must be in [0, 1), got {beta!r}")
    return beta


class Optimizer:
    """Base class: checks the inputs and keeps per-key state.

    Subclasses implement ``_update(key, p, g)``, which changes ``p`` in place.
    """

    def __init__(self, lr):
        self.lr = check_number("lr", lr, 0, open_low=True)
        self.state = {}  # key -> dict of arrays (velocity, moments, ...)
        self.t = 0  # number of steps taken

    def step(self, params, grads):
        """Update every ``params[k]`` in place from ``grads[k]``.

        Parameters
        ----------
        params : dict of numpy.ndarray
            Updated in place (the arrays are modified, the dict is not).
        grads : dict of numpy.ndarray
            Same keys and shapes as ``params``; not modified.

        Raises
        ------
        ValueError
            If the keys or shapes differ.
        FloatingPointError
            If a gradient holds NaN or inf.
        """
        _check_pair(params, grads)
        self.t += 1
        for k, p in params.items():
            self._update(k, p, np.asarray(grads[k], dtype=p.dtype))

    def _slot(self, key, name, p):
        """The state array ``name`` of parameter ``key``, zeros like ``p`` at first."""
        slots = self.state.setdefault(key, {})
        if name not in slots or slots[name].shape != p.shape:
            slots[name] = np.zeros_like(p)
        return slots[name]

    def _update(self, key, p, g):
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in vars(self).items() if k not in ("state", "t"))
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Plain gradient descent: ``p <- p - lr * g``."""

    def _update(self, key, p, g):
        p -= self.lr * g


class Momentum(Optimizer):
    """Gradient descent with momentum (heavy ball).

    ``v <- beta * v + g``, then ``p <- p - lr * v`` (the form PyTorch uses; ``v``
    is a running sum of past gradients, so steps grow along a consistent direction).
    """

    def __init__(self, lr, beta=0.9):
        super().__init__(lr)
        self.beta = _check_decay("beta", beta)

    def _update(self, key, p, g):
        v = self._slot(key, "v", p)
        v *= self.beta
        v += g
        p -= self.lr * v


class Adagrad(Optimizer):
    """Adagrad (Duchi et al. 2011): per-element step sizes that shrink over time.

    ``G <- G + g**2``, then ``p <- p - lr * g / (sqrt(G) + eps)``.
    """

    def __init__(self, lr, eps=1e-8):
        super().__init__(lr)
        self.eps = check_number("eps", eps, 0, open_low=True)

    def _update(self, key, p, g):
        G = self._slot(key, "G", p)
        G += g * g
        p -= self.lr * g / (np.sqrt(G) + self.eps)


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015): momentum plus per-element scaling, bias-corrected.

    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g**2``,
    ``p <- p - lr * m_hat / (sqrt(v_hat) + eps)`` with ``m_hat = m / (1 - b1**t)``,
    ``v_hat = v / (1 - b2**t)``.

    Notes
    -----
    Without the bias correction the first steps would be far too small, because
    ``m`` and ``v`` start at zero.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1, self.beta2 = _check_decay("beta1", beta1), _check_decay("beta2", beta2)
        self.eps = check_number("eps", eps, 0, open_low=True)

    def _update(self, key, p, g):
        m = self._slot(key, "m", p)
        v = self._slot(key, "v", p)
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * (g * g)
        m_hat = m / (1 - self.beta1**self.t)
        v_hat = v / (1 - self.beta2**self.t)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def global_norm(grads):
    """L2 norm of all gradients taken together: ``sqrt(sum_k sum(grads[k]**2))``.

    Parameters
    ----------
    grads : dict of numpy.ndarray

    Returns
    -------
    float
        Computed in float64, so float32 gradients do not overflow the sum.
    """
    _check_dict("grads", grads)
    with np.errstate(over="ignore"):  # a sum beyond 1e308 is inf, the norm's true size
        total = sum(np.sum(np.square(g, dtype=np.float64)) for g in grads.values())
    if np.isnan(total):  # name the culprit instead of returning NaN
        for k, g in grads.items():
            check_finite(f"grads[{k!r}]", g)
    return float(np.sqrt(total))


def clip_grad_norm(grads, max_norm):
    """Clip by norm (Pascanu et al. 2013): if ``||g|| >= max_norm``, ``g <- max_norm * g / ||g||``.

    ``||g||`` is the global norm over every array in ``grads``. All arrays are
    scaled by the same factor, so the gradient's **direction is kept**; only its
    length is capped.

    Parameters
    ----------
    grads : dict of numpy.ndarray
        Scaled in place. Pass the parameter gradients only (not an input gradient).
    max_norm : float
        The threshold, > 0.

    Returns
    -------
    float
        The global norm **before** clipping (log it to see how often clipping acts).

    Raises
    ------
    FloatingPointError
        If a gradient holds NaN or inf: no finite rescaling can repair it.
    """
    max_norm = check_number("max_norm", max_norm, 0, open_low=True)
    _check_dict("grads", grads)
    for k, g in grads.items():
        check_finite(f"grads[{k!r}]", g)
    norm = global_norm(grads)
    if norm >= max_norm:
        scale = max_norm / norm
        for g in grads.values():
            g *= scale
    return norm


def clip_grad_value(grads, clip_value):
    """Clip by value: clamp every element to ``[-clip_value, clip_value]``, in place.

    Parameters
    ----------
    grads : dict of numpy.ndarray
        Clamped in place.
    clip_value : float
        > 0.

    Notes
    -----
    Unlike :func:`clip_grad_norm`, this **changes the direction** of the gradient:
    large components are cut while small ones are kept, so ``(10, 1)`` becomes
    ``(1, 1)`` with ``clip_value=1``.
    """
    clip_value = check_number("clip_value", clip_value, 0, open_low=True)
    _check_dict("grads", grads)
    for k, g in grads.items():
        check_finite(f"grads[{k!r}]", g)  # a NaN would pass through np.clip
    for g in grads.values():
        np.clip(g, -clip_value, clip_value, out=g)
