"""A small trainable sequence model: (embedding) -> RNN, LSTM or GRU layers -> dense output.

The class is thin: it holds a ``params`` dict and a config, and every method calls
the plain functions of ``layers``, ``sequence``, ``cells``, ``losses`` and ``optim``.
Read those for the math; read this for how the pieces fit together::

    model = SequenceModel(2, 16, 1, cell="lstm", rng=rng)      # adding problem
    loss, grads, state = model.loss(x, y)                       # forward + BPTT
    history = model.train(batches, Adam(1e-2), steps=500, clip=1.0)
"""

from __future__ import annotations

import itertools
import json
from typing import Any, NamedTuple

import numpy as np

from rnnlib import cells, sequence
from rnnlib._validate import (
    check_array,
    check_batch,
    check_int,
    check_int_array,
    check_number,
    check_rng,
)
from rnnlib.activations import softmax, softmax_temperature
from rnnlib.layers import (
    dense_backward,
    dense_forward,
    embedding_backward,
    embedding_forward,
    temporal_dense_backward,
    temporal_dense_forward,
)
from rnnlib.losses import mse, softmax_cross_entropy
from rnnlib.optim import clip_grad_norm, global_norm

__all__ = ["ModelCache", "SequenceModel", "init_recurrent"]

CELLS = ("rnn", "lstm", "gru")
GATES = {"rnn": 1, "lstm": 4, "gru": 3}  # weight blocks per cell
TASKS = ("many_to_one", "many_to_many")
LOSSES = ("mse", "cross_entropy")
INITS = ("xavier", "orthogonal", "identity", "small")


def init_recurrent(H, init, rng, dtype=np.float64):
    """One ``(H, H)`` recurrent weight matrix ``Wh``, initialised by name.

    - ``"xavier"``: ``Normal(0, 1/H)`` entries (Glorot for a square matrix); the
      spectral radius is close to 1 for large ``H``, the largest singular value ~2.
    - ``"orthogonal"``: ``Q`` from the QR decomposition of a Gaussian matrix (signs
      fixed so that ``Q`` is uniformly distributed); every singular value is 1, so
      ``h @ Wh`` keeps the norm of ``h``.
    - ``"identity"``: ``I``, so the state is copied from step to step at the start
      (Le, Jaitly & Hinton 2015, for relu RNNs; also a long memory for tanh).
    - ``"small"``: ``Normal(0, 0.01**2)`` entries; the recurrence starts almost off
      and gradients through time vanish at first.

    Parameters
    ----------
    H : int
    init : str
        One of the names above.
    rng : numpy.random.Generator
    dtype : numpy dtype

    Returns
    -------
    numpy.ndarray, shape (H, H)
    """
    H = check_int("H", H)
    rng = check_rng("rng", rng)
    if init == "xavier":
        W = rng.standard_normal((H, H)) / np.sqrt(H)
    elif init == "orthogonal":
        Q, R = np.linalg.qr(rng.standard_normal((H, H)))
        W = Q * np.sign(np.diag(R))  # column signs: without this Q is not uniform
    elif init == "identity":
        W = np.eye(H)
    elif init == "small":
        W = 0.01 * rng.standard_normal((H, H))
    else:
        raise ValueError(f"init must be one of {INITS}, got {init!r}")
    return W.astype(dtype)


class ModelCache(NamedTuple):
    """What :meth:`SequenceModel.backward` needs from :meth:`SequenceModel.forward`."""

    embed: Any  # EmbeddingCache, or None without an embedding
    seq: Any  # the top layer's cache of sequence.rnn_forward / lstm_forward / gru_forward
    out: Any  # DenseCache (many_to_one) or TemporalDenseCache (many_to_many)
    h: np.ndarray  # (N, T, H) the top layer's hidden sequence
    final_state: tuple  # (h_T,) or (h_T, c_T), each (N, H), for each layer in turn
    layers: tuple = ()  # every layer's sequence cache, bottom first (layers[-1] is seq)
    masks: tuple = ()  # dropout masks (N, T, H), one per layer's output; empty if none


class SequenceModel:
    """A recurrent network with a dense output layer, trainable with BPTT.

    ``x -> [W_embed] -> RNN or LSTM (Wx, Wh, b) or GRU (Wx, Wh, bx, bh) -> h -> y = h @ Wy + by``.

    With ``num_layers=2`` a second recurrent layer reads the first one's hidden
    sequence (a stacked RNN) and the output layer reads the second's; with
    ``dropout > 0`` each layer's output is multiplied, during training only, by a
    random mask that zeroes a fraction ``dropout`` of the units and scales the rest
    by ``1 / (1 - dropout)`` (inverted dropout, Srivastava et al. 2014; applied
    between layers and before the output, never along the recurrence, as in
    Zaremba et al. 2014).

    Parameters
    ----------
    input_size : int
        ``D``, features per step; with ``embedding=True`` the vocabulary size ``V``.
    hidden_size : int
        ``H``.
    output_size : int
        Outputs per prediction (classes ``V`` for ``loss="cross_entropy"``).
    cell : {"rnn", "lstm", "gru"}
        Vanilla tanh RNN, LSTM (gates stacked i, f, g, o) or GRU (PyTorch's form,
        gates stacked r, z, n, two biases ``bx`` and ``bh``).
    embedding : bool
        If True, inputs are int ids ``(N, T)`` looked up in a ``(V, embed_size)`` table.
    embed_size : int
        Size of the embedding vectors; required with ``embedding=True``.
    task : {"many_to_one", "many_to_many"}
        Predict once from the last hidden state (adding problem), or at every step
        (next-value or next-character prediction).
    loss : {"mse", "cross_entropy"}
        Mean squared error on predictions, or softmax cross-entropy on logits.
    init : {"xavier", "orthogonal", "identity", "small"}
        Initialisation of ``Wh`` (each gate block for the LSTM and the GRU); see
        :func:`init_recurrent`. ``Wx`` and ``Wy`` are ``Normal(0, 1/fan_in)``,
        ``W_embed`` is ``Normal(0, 1)``, biases are 0.
    init_scale : float
        Multiplies ``Wh`` after initialisation (orthogonal with ``init_scale=1.2`` has
        every singular value 1.2): the knob for exploding/vanishing experiments.
    forget_bias : float
        LSTM only: initial bias of the forget gate (Jozefowicz et al. 2015 use 1).
        With 0 the forget gate starts near ``sigmoid(0) = 0.5``, so the cell state
        halves at every step and memory fades within a few steps until it is learned.
    update_bias : float
        GRU only: initial bias of the update gate z (in ``bx``; ``bh`` starts at 0).
        The GRU keeps ``z * h_prev``, so z plays the LSTM forget gate's part: with a
        bias b the state starts by decaying like ``sigmoid(b)**k`` over k steps.
        0 (PyTorch's initialisation, on average) halves it at every step; the
        default 1, like ``forget_bias``, starts with a longer memory.
    rng : numpy.random.Generator, optional
    seed : int, optional
        Used when ``rng`` is not given. Pass one of them for reproducible weights
        (and dropout masks).
    dtype : numpy dtype
        float64 (gradient checks) or float32 (speed); inputs are cast to it.
    num_layers : int
        Recurrent layers stacked on top of each other (1 or more), all of size ``H``.
    dropout : float
        In ``[0, 0.99]``: the fraction of each layer's outputs dropped while training
        (``forward(..., train=True)``, which :meth:`train` uses). 0 turns it off.

    Attributes
    ----------
    params : dict of numpy.ndarray
        ``W_embed (V, E)`` (with an embedding), ``Wx (D, G*H)``, ``Wh (H, G*H)``,
        ``b (G*H,)``, ``Wy (H, output_size)``, ``by (output_size,)``, with ``G = 1``
        for the RNN and 4 for the LSTM. The GRU has ``bx (3H,)`` and ``bh (3H,)``
        instead of ``b``, and ``G = 3``. Layer ``k >= 2`` of a stack has its own
        ``Wxk (H, G*H)``, ``Whk``, ``bk`` (``bxk``, ``bhk``): ``Wx2``, ``Wh2``, ``b2``.
    config : dict
        The constructor arguments (without the randomness), saved by :meth:`save`.
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        output_size,
        cell="rnn",
        *,
        embedding=False,
        embed_size=None,
        task="many_to_one",
        loss="mse",
        init="xavier",
        init_scale=1.0,
        forget_bias=1.0,
        rng=None,
        seed=None,
        dtype=np.float64,
        update_bias=1.0,
        num_layers=1,
        dropout=0.0,
    ):
        for name, value, allowed in (
            ("cell", cell, CELLS),
            ("task", task, TASKS),
            ("loss", loss, LOSSES),
            ("init", init, INITS),
        ):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
        input_size = check_int("input_size", input_size)
        hidden_size = check_int("hidden_size", hidden_size)
        output_size = check_int("output_size", output_size)
        if embedding:
            if embed_size is None:
                raise ValueError("embedding=True needs embed_size, the length of each vector")
            embed_size = check_int("embed_size", embed_size)
        init_scale = check_number("init_scale", init_scale)
        forget_bias = check_number("forget_bias", forget_bias)
        try:
            floating = np.issubdtype(np.dtype(dtype), np.floating)
        except TypeError:
            floating = False
        if not floating:
            raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
        self.config = dict(
            input_size=int(input_size),
            hidden_size=int(hidden_size),
            output_size=int(output_size),
            cell=cell,
            embedding=bool(embedding),
            embed_size=None if not embedding else int(embed_size),
            task=task,
            loss=loss,
            init=init,
            init_scale=float(init_scale),
            forget_bias=float(forget_bias),
            dtype=np.dtype(dtype).name,
        )
        if not np.isfinite(update_bias):
            raise ValueError(f"update_bias must be a finite number, got {update_bias!r}")
        if cell == "gru":  # only then, so that saved RNN and LSTM configs stay as they were
            self.config["update_bias"] = float(update_bias)
        num_layers = check_int("num_layers", num_layers, low=1)
        dropout = check_number("dropout", dropout, 0, 0.99)
        if num_layers != 1 or dropout != 0:  # likewise: one-layer configs stay as they were
            self.config["num_layers"] = int(num_layers)
            self.config["dropout"] = float(dropout)
        self.num_layers, self.dropout = int(num_layers), float(dropout)
        self.cell, self.task, self.loss_name = cell, task, loss
        self.embedding = bool(embedding)
        self.dtype = np.dtype(dtype)
        self.hidden_size = int(hidden_size)
        rng = check_rng("seed", seed) if rng is None else check_rng("rng", rng)
        self.params = self._init_params(rng)
        #: draws the dropout masks; seeded from ``rng`` after the weights
        self.dropout_rng = np.random.default_rng(rng.integers(2**63)) if dropout else None

    # ------------------------------------------------------------------ set-up

    def _init_params(self, rng):
        cfg = self.config
        H, O = cfg["hidden_size"], cfg["output_size"]
        G = GATES[self.cell]
        D = cfg["embed_size"] if self.embedding else cfg["input_size"]
        params = {}
        if self.embedding:
            params["W_embed"] = rng.standard_normal((cfg["input_size"], D))
        for layer in range(self.num_layers):
            k = self._suffix(layer)
            params["Wx" + k] = rng.standard_normal((D, G * H)) / np.sqrt(D)
            params["Wh" + k] = cfg["init_scale"] * np.concatenate(
                [init_recurrent(H, cfg["init"], rng) for _ in range(G)], axis=1
            )  # (H, G*H), one block per gate
            if self.cell == "gru":  # two biases; bh_n sits inside r * (h @ Wh_n + bh_n)
                params["bx" + k], params["bh" + k] = np.zeros(G * H), np.zeros(G * H)
                params["bx" + k][H : 2 * H] = cfg["update_bias"]  # gates r, z, n: z is 1
            else:
                params["b" + k] = np.zeros(G * H)
            if self.cell == "lstm":
                params["b" + k][H : 2 * H] = cfg["forget_bias"]  # gates i, f, g, o: f is 1
            D = H  # the next layer reads this one's hidden sequence
        params["Wy"] = rng.standard_normal((H, O)) / np.sqrt(H)
        params["by"] = np.zeros(O)
        return {k: v.astype(self.dtype) for k, v in params.items()}

    @staticmethod
    def _suffix(layer):
        """The parameter-name suffix of a layer (0-based): "" for the first, "2", "3"..."""
        return "" if layer == 0 else str(layer + 1)

    def _layer_names(self, layer):
        """The names of one layer's recurrent parameters, in sequence.*_forward's order."""
        biases = ("bx", "bh") if self.cell == "gru" else ("b",)
        return tuple(name + self._suffix(layer) for name in ("Wx", "Wh", *biases))

    def _layer_params(self, layer):
        """The recurrent parameters of one layer, in the order sequence.*_forward takes."""
        return tuple(self.params[name] for name in self._layer_names(layer))

    @property
    def state_size(self):
        """Arrays per layer in a state: 2 for the LSTM ``(h, c)``, else 1 ``(h,)``."""
        return 2 if self.cell == "lstm" else 1

    def param_count(self):
        """Total number of scalar parameters."""
        return int(sum(p.size for p in self.params.values()))

    def zero_state(self, N):
        """The initial state of a batch of ``N``, all zeros.

        ``(h0,)`` or ``(h0, c0)``, each ``(N, H)``; a stack has one such group per
        layer, bottom first: ``(h0, c0, h0_2, c0_2)`` for two LSTM layers.
        """
        N = check_int("N", N)
        n = self.state_size * self.num_layers
        return tuple(np.zeros((N, self.hidden_size), dtype=self.dtype) for _ in range(n))

    def _state(self, state, N):
        if state is None:
            return self.zero_state(N)
        if isinstance(state, np.ndarray):
            state = (state,)
        if not isinstance(state, tuple | list):
            raise ValueError(f"state must be a tuple of arrays, got {type(state).__name__}")
        n_expected = self.state_size * self.num_layers
        if len(state) != n_expected:
            group = "(h,)" if self.state_size == 1 else "(h, c)"
            raise ValueError(
                f"state must be {group} per layer for cell={self.cell!r} and "
                f"{self.num_layers} layer(s), a tuple of {n_expected}; got a tuple of "
                f"{len(state)}"
            )
        names = ("h0", "c0")[: self.state_size] * self.num_layers
        for name, s in zip(names, state, strict=True):
            check_array(name, s, "N, H", (N, self.hidden_size))
        return tuple(s.astype(self.dtype, copy=False) for s in state)

    def _inputs(self, x):
        """Validate the input sequence; ids stay ints, features are cast to the dtype."""
        if self.embedding:
            check_int_array("x", x, "N, T", (None, None), high=self.config["input_size"])
            return check_batch("x", x)
        check_array("x", x, "N, T, D", (None, None, self.config["input_size"]))
        check_batch("x", x)
        return x.astype(self.dtype, copy=False)

    # ------------------------------------------------------------ forward/backward

    def forward(self, x, state=None, train=False):
        """Run the model over a batch of sequences.

        Parameters
        ----------
        x : numpy.ndarray
            ``(N, T, D)`` features, or ``(N, T)`` int ids with an embedding.
        state : tuple, optional
            Initial state ``(h0,)`` (RNN, GRU) or ``(h0, c0)`` (LSTM), each ``(N, H)``,
            one group per layer (see :meth:`zero_state`); zeros if None.
        train : bool
            Apply dropout (if the model has any). False for evaluation and sampling.

        Returns
        -------
        out : numpy.ndarray
            ``(N, output_size)`` from the last hidden state (many_to_one), or
            ``(N, T, output_size)`` at every step (many_to_many). Logits for
            cross-entropy, predictions for MSE.
        cache : ModelCache
            Holds ``final_state``, ``(h_T,)`` or ``(h_T, c_T)`` per layer, and every
            layer's sequence cache in ``layers`` (``layers[k].h``, and ``.c`` for the
            LSTM, are layer ``k``'s hidden and cell states, ``(N, T, H)``).
        """
        x = self._inputs(x)
        p = self.params
        state = self._state(state, x.shape[0])
        embed_cache = None
        if self.embedding:
            x, embed_cache = embedding_forward(x, p["W_embed"])  # (N, T, E)
        forward = {
            "rnn": sequence.rnn_forward,
            "lstm": sequence.lstm_forward,
            "gru": sequence.gru_forward,
        }[self.cell]
        S, drop = self.state_size, train and self.dropout > 0
        layers, masks, final = [], [], []
        h = x
        for layer in range(self.num_layers):
            h, seq_cache = forward(
                h, *state[S * layer : S * (layer + 1)], *self._layer_params(layer)
            )
            layers.append(seq_cache)
            final.append(h[:, -1].copy())
            if self.cell == "lstm":
                final.append(seq_cache.c[:, -1].copy())
            if drop:  # inverted dropout on this layer's output (the next one's input)
                keep = self.dropout_rng.random(h.shape) >= self.dropout
                masks.append(keep.astype(self.dtype) / self.dtype.type(1 - self.dropout))
                h = h * masks[-1]
        if self.task == "many_to_one":
            out, out_cache = dense_forward(h[:, -1], p["Wy"], p["by"])  # (N, O)
        else:
            out, out_cache = temporal_dense_forward(h, p["Wy"], p["by"])  # (N, T, O)
        return out, ModelCache(
            embed_cache, layers[-1], out_cache, h, tuple(final), tuple(layers), tuple(masks)
        )

    def backward(self, dout, cache):
        """Backpropagate ``dL/dout`` through the output layer, BPTT and the embedding.

        Also useful on its own for saliency: pass a ``dout`` that is one at a single
        output and zero elsewhere, and read ``grads["x"]``.

        Parameters
        ----------
        dout : numpy.ndarray, shape of ``out`` from :meth:`forward`
        cache : ModelCache

        Returns
        -------
        grads : dict
            One entry per parameter (same keys and shapes as ``params``) plus ``"x"``:
            the gradient with respect to the input sequence ``(N, T, D)``, or with an
            embedding, with respect to the embedded vectors ``(N, T, E)``.

        Notes
        -----
        The gradient with respect to the initial state is dropped: a carried state
        is a constant for this batch, which is where truncated BPTT stops the
        gradient (what ``detach()`` does in PyTorch).
        """
        p = self.params
        grads = {}
        if self.task == "many_to_one":
            dh_last, grads["Wy"], grads["by"] = dense_backward(dout, cache.out)
            dh = np.zeros_like(cache.h)  # only the last step feeds the output
            dh[:, -1] = dh_last
        else:
            dh, grads["Wy"], grads["by"] = temporal_dense_backward(dout, cache.out)
        backward = {
            "rnn": sequence.rnn_backward,
            "lstm": sequence.lstm_backward,
            "gru": sequence.gru_backward,
        }[self.cell]
        layers = cache.layers
        for layer in reversed(range(len(layers))):
            if cache.masks:  # through the dropout mask on this layer's output
                dh = dh * cache.masks[layer]
            names = self._layer_names(layer)
            result = backward(dh, layers[layer])
            dh, weights = result[0], result[-len(names) :]  # skip dh0 (and dc0)
            grads.update(dict(zip(names, weights, strict=True)))
        dx = dh
        if self.embedding:
            grads["W_embed"] = embedding_backward(dx, cache.embed)
        ordered = {k: grads[k] for k in p}  # same order as params
        ordered["x"] = dx
        return ordered

    def loss(self, x, y, state=None, mask=None, train=False):
        """Forward, loss and backward in one call.

        Parameters
        ----------
        x : numpy.ndarray
            As for :meth:`forward`.
        y : numpy.ndarray
            Targets. MSE: float, the shape of ``out``. Cross-entropy: int class ids,
            ``(N,)`` (many_to_one) or ``(N, T)`` (many_to_many).
        state : tuple, optional
            Initial state; see :meth:`forward`.
        mask : numpy.ndarray, optional
            Cross-entropy only: which positions count; see
            :func:`rnnlib.losses.softmax_cross_entropy`.
        train : bool
            Apply dropout (see :meth:`forward`); :meth:`train` passes True.

        Returns
        -------
        loss : float
        grads : dict
            See :meth:`backward` (parameters plus ``"x"``; pass only the parameters
            to an optimizer: ``{k: grads[k] for k in model.params}``).
        final_state : tuple
            ``(h_T,)`` or ``(h_T, c_T)``: the ``state`` to give the next batch of a
            stream. It carries the *values* forward; no gradient flows back through it.
        """
        out, cache = self.forward(x, state, train=train)
        if self.loss_name == "mse":
            if mask is not None:
                raise ValueError("mask is only supported with loss='cross_entropy'")
            check_array("y", y, "same as the model's output", out.shape)
            loss, dout = mse(out, y.astype(self.dtype, copy=False))
        else:
            check_int_array(
                "y", y, "N" if out.ndim == 2 else "N, T", out.shape[:-1], high=out.shape[-1]
            )
            loss, dout = softmax_cross_entropy(out, y, mask)
        return loss, self.backward(dout, cache), cache.final_state

    # ------------------------------------------------------------------ training

    def train(self, batches, optimizer, steps=None, clip=None, callback=None, carry_state=False):
        """Train with an optimizer; return the loss and gradient norm of every step.

        Each step: ``loss``, clip the parameter gradients by global norm (if ``clip``),
        ``optimizer.step`` (which updates ``params`` in place).

        Parameters
        ----------
        batches : iterable of (x, y), or callable
            Either an iterable (a list, a generator, :func:`rnnlib.data.text_batches`)
            or a function ``batches(step) -> (x, y)`` that makes fresh data each step.
        optimizer : rnnlib.optim.Optimizer
        steps : int, optional
            Number of steps; required with a callable, otherwise the iterable's length.
        clip : float, optional
            Threshold for :func:`rnnlib.optim.clip_grad_norm`.
        callback : callable, optional
            ``callback(step, loss, model)`` after every step (progress bar, live
            plot). If it returns True, training stops.
        carry_state : bool
            Stateful truncated BPTT: each batch starts from the previous batch's
            final state (values only, no gradient). The state restarts from zeros if
            the batch size changes.

        Returns
        -------
        dict
            ``"loss"``: list of float; ``"grad_norm"``: list of the global gradient
            norm of each step *before* clipping.
        """
        if callable(batches):
            if steps is None:
                raise ValueError("steps is required when batches is a function of the step")
            source = (batches(step) for step in itertools.count())
        else:
            source = iter(batches)
        history = {"loss": [], "grad_norm": []}
        state = None
        counter = range(steps) if steps is not None else itertools.count()
        for step, (x, y) in zip(counter, source, strict=False):
            if state is not None and state[0].shape[0] != np.shape(x)[0]:
                state = None
            loss, grads, final = self.loss(x, y, state, train=True)
            pgrads = {k: grads[k] for k in self.params}  # not "x": it is no parameter
            norm = global_norm(pgrads) if clip is None else clip_grad_norm(pgrads, clip)
            optimizer.step(self.params, pgrads)
            state = final if carry_state else None
            history["loss"].append(loss)
            history["grad_norm"].append(norm)
            if callback is not None and callback(step, loss, self):
                break
        return history

    # --------------------------------------------------------------- inference

    def predict(self, x, state=None):
        """Predictions for ``x``: the model's output (MSE) or probabilities (cross-entropy).

        Returns
        -------
        numpy.ndarray
            ``(N, output_size)`` or ``(N, T, output_size)``; for cross-entropy,
            ``softmax(logits)`` along the last axis.
        """
        out, _ = self.forward(x, state)
        return softmax(out) if self.loss_name == "cross_entropy" else out

    def step(self, x_t, state=None):
        """One time step, for generation: returns ``(out_t, state)``.

        Parameters
        ----------
        x_t : numpy.ndarray
            ``(N, D)`` features, or ``(N,)`` int ids with an embedding.
        state : tuple, optional
            ``(h,)`` or ``(h, c)`` per layer; zeros if None.

        Returns
        -------
        out_t : numpy.ndarray, shape (N, output_size)
            ``h_t @ Wy + by`` (logits for cross-entropy), from the top layer's ``h_t``.
        state : tuple
            The new ``(h_t,)`` or ``(h_t, c_t)`` per layer.
        """
        p = self.params
        if self.embedding:
            ids = check_int_array("x_t", x_t, "N", (None,), high=self.config["input_size"])
            x_t = embedding_forward(ids[:, None], p["W_embed"])[0][:, 0]  # (N, E)
        else:
            check_array("x_t", x_t, "N, D", (None, self.config["input_size"]))
            x_t = x_t.astype(self.dtype, copy=False)
        state = self._state(state, x_t.shape[0])
        S, new, h = self.state_size, [], x_t
        for layer in range(self.num_layers):
            old, weights = state[S * layer : S * (layer + 1)], self._layer_params(layer)
            if self.cell == "rnn":
                h, _ = cells.rnn_step_forward(h, *old, *weights)
                new.append(h)
            elif self.cell == "gru":
                h, _ = cells.gru_step_forward(h, *old, *weights)
                new.append(h)
            else:
                h, c, _ = cells.lstm_step_forward(h, *old, *weights)
                new.extend((h, c))
        return dense_forward(h, p["Wy"], p["by"])[0], tuple(new)

    def sample(self, prefix_ids, n, rng, temperature=1.0):
        """Generate ``n`` ids after a prefix, feeding each sample back in.

        ``p = softmax(logits / temperature)``, ``next ~ p``.

        Parameters
        ----------
        prefix_ids : sequence of int, length >= 1
            The ids to read first (for example ``vocab.encode("The ")``).
        n : int
            Number of ids to generate.
        rng : numpy.random.Generator
            The same rng state gives the same sample.
        temperature : float
            > 0. Low values sharpen the distribution (near 0 it is the argmax: safe
            but repetitive text); 1 samples the model as trained; high values flatten
            it towards uniform (babble).

        Returns
        -------
        numpy.ndarray of int64, shape (n,)
            The generated ids only (not the prefix).
        """
        if not (
            self.embedding
            and self.loss_name == "cross_entropy"
            and self.config["output_size"] == self.config["input_size"]
        ):
            raise ValueError(
                "sample needs embedding=True, loss='cross_entropy' and "
                "output_size == input_size (the vocabulary size)"
            )
        temperature = check_number("temperature", temperature, 0, open_low=True)
        n = check_int("n", n, low=0)
        rng = check_rng("rng", rng)
        prefix = np.asarray(prefix_ids)
        if prefix.size == 0:
            raise ValueError("prefix_ids must hold at least one id")
        if prefix.dtype.kind not in "iu":
            raise ValueError(f"prefix_ids must be int ids, got dtype {prefix.dtype}")
        prefix = prefix.astype(np.int64).reshape(1, -1)  # (1, T0)
        check_int_array("prefix_ids", prefix, "1, T0", (1, None), high=self.config["input_size"])
        out, cache = self.forward(prefix)  # read the prefix in one pass
        logits, state = (out[:, -1] if out.ndim == 3 else out), cache.final_state
        V = self.config["output_size"]
        ids = np.empty(int(n), dtype=np.int64)
        for k in range(int(n)):
            ids[k] = rng.choice(V, p=softmax_temperature(logits[0], temperature))
            logits, state = self.step(ids[k : k + 1], state)
        return ids

    # ------------------------------------------------------------- persistence

    def save(self, path):
        """Save the parameters and the config to an ``.npz`` file (no pickle).

        Notes
        -----
        ``np.savez`` appends ``.npz`` to a path that lacks it: name the file
        ``something.npz`` so that :meth:`load` finds it under the same name.
        """
        np.savez(path, __config__=np.array(json.dumps(self.config)), **self.params)

    @classmethod
    def load(cls, path):
        """Rebuild a model saved with :meth:`save` (same config, same parameters)."""
        with np.load(path, allow_pickle=False) as f:
            config = json.loads(str(f["__config__"]))
            model = cls(**config, seed=0)
            missing = sorted(set(model.params) - set(f.files))
            if missing:
                raise ValueError(f"{path} has no arrays for the parameters {missing}")
            for k, p in model.params.items():
                check_array(k, f[k], "as saved", p.shape)
                model.params[k] = f[k].astype(model.dtype)
        return model

    def __repr__(self):
        cfg = ", ".join(f"{k}={v!r}" for k, v in self.config.items())
        return f"SequenceModel({cfg})"
