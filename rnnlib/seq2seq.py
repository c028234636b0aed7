"""An encoder-decoder (sequence to sequence) model with GRUs, with or without attention.

The encoder reads the source (a padded batch: a padded step leaves the state
unchanged, see :func:`masked_gru_forward`); its last state starts the decoder.
Without attention that one vector is all the decoder knows of the source (the
"bottleneck" of Cho et al. 2014 and Sutskever et al. 2014). With attention the
decoder's state ``s_t`` also queries every encoder state at every step
(:mod:`rnnlib.attention`), and the context ``c_t`` is fed to the **output** layer
next to ``s_t`` (Luong et al. 2015's placement, without input feeding)::

    logits_t = [s_t, c_t] @ Wy + by        (with attention)
    logits_t = s_t @ Wy + by               (without)

Training uses teacher forcing: the decoder's input at step t is the *true*
previous character, not its own guess. Decoding is greedy or by beam search, the
beam's outputs ranked by total log-probability or with a length normalisation
(:func:`beam_score`).
"""

from __future__ import annotations

import json
from typing import NamedTuple

import numpy as np

from rnnlib._validate import (
    GRADIENT_HINT,
    INPUT_HINT,
    check_array,
    check_finite,
    check_int,
    check_int_array,
    check_number,
    check_rng,
)
from rnnlib.attention import (
    additive_attention_backward,
    additive_attention_forward,
    dot_attention_backward,
    dot_attention_forward,
)
from rnnlib.cells import gru_step_backward, gru_step_forward
from rnnlib.dates import END, START
from rnnlib.layers import (
    embedding_backward,
    embedding_forward,
    temporal_dense_backward,
    temporal_dense_forward,
)
from rnnlib.losses import softmax_cross_entropy
from rnnlib.optim import Adam, clip_grad_norm
from rnnlib.sequence import gru_backward, gru_forward

__all__ = [
    "MaskedGRUCache",
    "Seq2Seq",
    "beam_score",
    "masked_gru_backward",
    "masked_gru_forward",
    "matched_hidden_size",
    "first_error",
    "train_with_and_without_attention",
    "training_pairs",
    "train",
    "translate",
]


class MaskedGRUCache(NamedTuple):
    """The step caches and the mask, for :func:`masked_gru_backward`."""

    steps: list
    mask: np.ndarray  # (N, T) bool


def masked_gru_forward(x, h0, Wx, Wh, bx, bh, mask):
    """A GRU over a padded batch: a padded step carries the state through unchanged.

    ``h_t = m_t * GRU(x_t, h_{t-1}) + (1 - m_t) * h_{t-1}``, with ``m_t`` = 1 at real
    steps and 0 at padding. So ``h[:, -1]`` is the state after each sequence's
    *last real* step, and a padded batch gives every sequence the states it would
    get alone.

    Parameters
    ----------
    x : numpy.ndarray, shape (N, T, D)
    h0 : numpy.ndarray, shape (N, H)
    Wx : numpy.ndarray, shape (D, 3H)
    Wh : numpy.ndarray, shape (H, 3H)
    bx, bh : numpy.ndarray, shape (3H,)
        As in :func:`rnnlib.cells.gru_step_forward`.
    mask : numpy.ndarray of bool, shape (N, T)
        True at real steps.

    Returns
    -------
    h : numpy.ndarray, shape (N, T, H)
    cache : MaskedGRUCache
    """
    check_array("x", x, "N, T, D", (None, None, None))
    N, T, _ = x.shape
    if not isinstance(mask, np.ndarray) or mask.dtype != bool or mask.shape != (N, T):
        got = f"{mask.dtype} {mask.shape}" if isinstance(mask, np.ndarray) else type(mask)
        raise ValueError(f"mask must be a bool array of shape (N, T) = ({N}, {T}), got {got}")
    check_array("h0", h0, "N, H", (N, None))
    check_finite("h0", h0, hint=INPUT_HINT)
    h_prev, hs, steps = h0, [], []
    m = mask[:, :, None].astype(np.result_type(x, h0))  # (N, T, 1)
    for t in range(T):
        h_new, c = gru_step_forward(x[:, t], h_prev, Wx, Wh, bx, bh)
        h_prev = m[:, t] * h_new + (1 - m[:, t]) * h_prev  # padding: keep h_{t-1}
        hs.append(h_prev)
        steps.append(c)
    return np.stack(hs, axis=1), MaskedGRUCache(steps, mask)


def masked_gru_backward(dh, cache, *, dhT=None):
    """Backward of :func:`masked_gru_forward`.

    Parameters
    ----------
    dh : numpy.ndarray, shape (N, T, H)
        Gradient with respect to every state, from the outputs.
    cache : MaskedGRUCache
    dhT : numpy.ndarray, shape (N, H), optional
        Extra gradient with respect to the final state.

    Returns
    -------
    dx : numpy.ndarray, shape (N, T, D)
    dh0 : numpy.ndarray, shape (N, H)
    dWx, dWh, dbx, dbh : numpy.ndarrays, shapes of the parameters

    Notes
    -----
    At a padded step the whole gradient passes straight to ``h_{t-1}`` and the
    step's weights get none: that is what "the step changes nothing" means.
    """
    if not isinstance(cache, MaskedGRUCache):
        raise ValueError("cache must be the MaskedGRUCache from masked_gru_forward")
    steps, mask = cache
    N, T = mask.shape
    c0 = steps[0]
    check_array("dh", dh, "N, T, H", (N, T, c0.h_next.shape[1]))
    check_finite("dh", dh, hint=GRADIENT_HINT)
    if dhT is not None:
        check_array("dhT", dhT, "N, H", dh.shape[::2])
        check_finite("dhT", dhT, hint=GRADIENT_HINT)
    m = mask[:, :, None].astype(dh.dtype)
    dx = np.zeros((N, T, c0.x.shape[1]), dh.dtype)
    grads = [
        np.zeros_like(c0.Wx),
        np.zeros_like(c0.Wh),
        np.zeros(c0.Wx.shape[1], dh.dtype),
        np.zeros(c0.Wx.shape[1], dh.dtype),
    ]
    carried = np.zeros_like(dh[:, 0]) if dhT is None else dhT.astype(dh.dtype)
    for t in reversed(range(T)):
        total = dh[:, t] + carried  # from the output at t, plus from step t+1
        dx[:, t], dh_prev, *dp = gru_step_backward(m[:, t] * total, steps[t])
        carried = dh_prev + (1 - m[:, t]) * total  # the padded path copies the gradient
        for g, d in zip(grads, dp, strict=True):
            g += d
    return (dx, carried, *grads)


def _init(shape, scale, rng, dtype):
    return rng.uniform(-scale, scale, size=shape).astype(dtype)


def matched_hidden_size(target, V, E):
    """The hidden size H of a model without attention whose parameter count is closest
    to ``target`` (for a fair comparison with a model with attention).

    Parameters
    ----------
    target : int
        Parameter count to match.
    V, E : int
        Vocabulary and embedding sizes.

    Returns
    -------
    int
    """
    target, V, E = check_int("target", target), check_int("V", V), check_int("E", E)
    sizes = range(1, 512)
    counts = [Seq2Seq.count(V, E, H, attention=None) for H in sizes]
    return sizes[int(np.argmin([abs(c - target) for c in counts]))]


def beam_score(log_prob, length, length_norm=None):
    """The score by which beam search ranks a finished output.

    - ``None``: the total log-probability, ``log p(y_1..y_L)``;
    - ``"mean"``: the average log-probability per token, ``log p / L``;
    - a number ``alpha`` in [0, 5]: Wu et al. (2016)'s length penalty,
      ``log p / lp(L)`` with ``lp(L) = ((5 + L) / 6) ** alpha`` (``alpha = 0`` is the
      total; they used values between 0 and 1).

    Every token adds a negative term to the total, so the total favours short
    outputs; dividing by a function of the length removes (``"mean"``) or weakens
    (``alpha`` < 1) that bias.

    Parameters
    ----------
    log_prob : float
        Total log-probability of the output (``</s>`` included), at most 0.
    length : int
        Its number of tokens L (``</s>`` included), at least 1.
    length_norm : None, "mean" or float

    Returns
    -------
    float
    """
    log_prob = check_number("log_prob", log_prob, high=0)
    length = check_int("length", length)
    if length_norm is None:
        return log_prob
    if isinstance(length_norm, str) and length_norm == "mean":
        return log_prob / length
    if isinstance(length_norm, str):
        raise ValueError(
            f"length_norm must be None, 'mean' or a number in [0, 5], got {length_norm!r}"
        )
    alpha = check_number("length_norm", length_norm, 0, 5)
    return log_prob / ((5 + length) / 6) ** alpha


class Seq2Seq:
    """A GRU encoder-decoder, with additive, dot-product or no attention.

    Parameters
    ----------
    V : int
        Vocabulary size (source and target share one vocabulary and one embedding).
    E : int
        Embedding size.
    H : int
        Hidden size of the encoder and of the decoder.
    attention : {"additive", "dot", None}
    A : int, optional
        Size of the additive score's hidden layer (default H).
    rng : numpy.random.Generator or int
        A Generator, or a seed for one.
    dtype : numpy dtype
    """

    def __init__(self, V, E, H, rng, attention="additive", A=None, dtype=np.float64):
        if not (
            attention is None or (isinstance(attention, str) and attention in ("additive", "dot"))
        ):
            raise ValueError(f"attention must be 'additive', 'dot' or None, got {attention!r}")
        V, E, H = check_int("V", V), check_int("E", E), check_int("H", H)
        A = None if A is None else check_int("A", A)
        rng = check_rng("rng", rng)
        self.attention, self.V, self.E, self.H = attention, V, E, H
        A = H if A is None else A
        s = 1 / np.sqrt(H)  # PyTorch's GRU initialisation
        p = {"W_embed": (rng.standard_normal((V, E)) * 0.3).astype(dtype)}
        for part, D in (("enc", E), ("dec", E)):
            p[f"{part}_Wx"] = _init((D, 3 * H), s, rng, dtype)
            p[f"{part}_Wh"] = _init((H, 3 * H), s, rng, dtype)
            p[f"{part}_bx"] = _init((3 * H,), s, rng, dtype)
            p[f"{part}_bh"] = _init((3 * H,), s, rng, dtype)
        if attention == "additive":
            p["Wq"] = _init((H, A), s, rng, dtype)
            p["Wk"] = _init((H, A), s, rng, dtype)
            p["v"] = _init((A,), s, rng, dtype)
        out = H if attention is None else 2 * H
        p["Wy"] = _init((out, V), 1 / np.sqrt(out), rng, dtype)
        p["by"] = np.zeros(V, dtype)
        self.params = p

    @staticmethod
    def count(V, E, H, attention="additive", A=None):
        """Number of parameters of a model of these sizes (no model is built)."""
        A = H if A is None else A
        gru = 2 * (E * 3 * H + H * 3 * H + 6 * H)
        extra = 2 * H * A + A if attention == "additive" else 0
        out = (H if attention is None else 2 * H) * V + V
        return V * E + gru + extra + out

    def save(self, path, info=None):
        """Save the parameters and sizes to an ``.npz``; :meth:`load` reads it back.

        ``info`` (a JSON-able dict: how the weights were made) is stored with them.
        """
        config = dict(
            V=self.V,
            E=self.E,
            H=self.H,
            attention=self.attention,
            A=self.params["Wq"].shape[1] if self.attention == "additive" else None,
            info=info or {},
        )
        np.savez_compressed(path, __config__=json.dumps(config), **self.params)

    @classmethod
    def load(cls, path, dtype=None):
        """A model with the parameters saved by :meth:`save` (in ``dtype``, default as saved)."""
        with np.load(path) as f:
            config = json.loads(str(f["__config__"]))
            params = {
                k: f[k] if dtype is None else f[k].astype(dtype)
                for k in f.files
                if k != "__config__"
            }
        info = config.pop("info")
        model = cls(rng=np.random.default_rng(0), dtype=params["Wy"].dtype, **config)
        if set(params) != set(model.params):
            raise ValueError(
                f"{path} holds parameters {sorted(params)}, expected {sorted(model.params)}"
            )
        model.params = params
        model.info = info
        return model

    @property
    def n_params(self):
        """Total number of parameters."""
        return sum(p.size for p in self.params.values())

    def _gru(self, part):
        p = self.params
        return p[f"{part}_Wx"], p[f"{part}_Wh"], p[f"{part}_bx"], p[f"{part}_bh"]

    def _attend(self, q, K, mask):
        if self.attention == "additive":
            p = self.params
            return additive_attention_forward(q, K, p["Wq"], p["Wk"], p["v"], mask)
        return dot_attention_forward(q, K, mask, scaled=True)

    def encode(self, src, src_mask):
        """Encoder states ``K`` (N, S, H) and the final state (N, H), plus the caches."""
        check_int_array("src", src, "N, S", (None, None), high=self.V)
        xs, emb_cache = embedding_forward(src, self.params["W_embed"])
        h0 = np.zeros((src.shape[0], self.H), xs.dtype)
        K, enc_cache = masked_gru_forward(xs, h0, *self._gru("enc"), src_mask)
        return K, K[:, -1], (emb_cache, enc_cache)

    def loss(self, src, src_mask, tgt_in, tgt_out, tgt_mask):
        """Teacher-forced loss and the gradient of every parameter.

        Parameters
        ----------
        src : numpy.ndarray of int, shape (N, S)
        src_mask : numpy.ndarray of bool, shape (N, S)
        tgt_in : numpy.ndarray of int, shape (N, T)
            The decoder's inputs: ``<s>`` then the true target (teacher forcing).
        tgt_out : numpy.ndarray of int, shape (N, T)
            What it must emit: the target then ``</s>``.
        tgt_mask : numpy.ndarray of bool, shape (N, T)

        Returns
        -------
        loss : float
            Mean cross-entropy per unmasked target character.
        grads : dict of numpy.ndarray
            Same keys and shapes as ``params``.
        """
        p, H = self.params, self.H
        K, hT, (emb_src, enc_cache) = self.encode(src, src_mask)
        xd, emb_tgt = embedding_forward(tgt_in, p["W_embed"])
        s, dec_cache = gru_forward(xd, hT, *self._gru("dec"))  # (N, T, H), all steps at once
        if self.attention is None:
            o = s
        else:
            # every decoder step attends at once: its query does not depend on the
            # contexts (they feed the output layer only), so s is known for all t
            c, _, att_cache = self._attend(s, K, src_mask)  # (N, T, H)
            o = np.concatenate([s, c], axis=2)  # (N, T, 2H)
        logits, out_cache = temporal_dense_forward(o, p["Wy"], p["by"])
        loss, dlogits = softmax_cross_entropy(logits, tgt_out, tgt_mask)

        g = {}
        do, g["Wy"], g["by"] = temporal_dense_backward(dlogits, out_cache)
        ds = do[:, :, :H].copy()
        dK = np.zeros_like(K)
        if self.attention is not None:
            back = (
                additive_attention_backward
                if self.attention == "additive"
                else dot_attention_backward
            )
            dq, dK, *dW = back(do[:, :, H:], None, att_cache)
            ds += dq
            g.update(zip(("Wq", "Wk", "v"), dW, strict=False))
        dxd, dhT, *dgru = gru_backward(ds, dec_cache)
        g.update(zip(("dec_Wx", "dec_Wh", "dec_bx", "dec_bh"), dgru, strict=True))
        dxs, _, *dgru = masked_gru_backward(dK, enc_cache, dhT=dhT)  # dhT: the bottleneck
        g.update(zip(("enc_Wx", "enc_Wh", "enc_bx", "enc_bh"), dgru, strict=True))
        g["W_embed"] = embedding_backward(dxd, emb_tgt) + embedding_backward(dxs, emb_src)
        return loss, {k: g[k] for k in p}

    def _forced_logits(self, src, src_mask, tgt_in):
        p = self.params
        K, hT, _ = self.encode(src, src_mask)
        s, _ = gru_forward(p["W_embed"][tgt_in], hT, *self._gru("dec"))
        o = (
            s
            if self.attention is None
            else np.concatenate([s, self._attend(s, K, src_mask)[0]], axis=2)
        )
        return o @ p["Wy"] + p["by"]  # (N, T, V)

    def teacher_forced(self, src, src_mask, tgt_in):
        """The most probable character at every step when fed the TRUE previous ones.

        What the training loss sees: each step is conditioned on the correct prefix,
        whatever the model would have emitted itself.

        Returns
        -------
        ids : numpy.ndarray of int, shape (N, T)
        """
        return self._forced_logits(src, src_mask, tgt_in).argmax(axis=2)

    def log_prob(self, src, src_mask, tgt_in, tgt_out, tgt_mask):
        """Total log-probability the model gives each whole output: the model's score.

        ``log p(y | x) = sum_t log p(y_t | y_<t, x)``, summed over the unmasked steps
        (``</s>`` included). Feeding the true prefix is exact here: the probability of
        a given output is the product of its steps' probabilities, each conditioned
        on the output's own earlier characters.

        Parameters
        ----------
        src, src_mask, tgt_in, tgt_out, tgt_mask : numpy.ndarray
            As :meth:`loss` takes them (:func:`rnnlib.dates.encode_batch`).

        Returns
        -------
        log_probs : numpy.ndarray, shape (N,)
        """
        z = self._forced_logits(src, src_mask, tgt_in)
        z = z - z.max(axis=2, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=2, keepdims=True))  # (N, T, V)
        picked = np.take_along_axis(logp, tgt_out[:, :, None], axis=2)[:, :, 0]  # (N, T)
        return np.where(tgt_mask, picked, 0.0).sum(axis=1)

    def step(self, y_prev, h, K, src_mask):
        """One free-running decoder step.

        Parameters
        ----------
        y_prev : numpy.ndarray of int, shape (B,)
            The previous output character (``<s>`` at first).
        h : numpy.ndarray, shape (B, H)
        K : numpy.ndarray, shape (B, S, H)
        src_mask : numpy.ndarray of bool, shape (B, S)

        Returns
        -------
        log_probs : numpy.ndarray, shape (B, V)
        h_next : numpy.ndarray, shape (B, H)
        alpha : numpy.ndarray, shape (B, S) or None
            Attention weights (None without attention).
        """
        p = self.params
        h_next, _ = gru_step_forward(p["W_embed"][y_prev], h, *self._gru("dec"))
        alpha = None
        o = h_next
        if self.attention is not None:
            c, alpha, _ = self._attend(h_next, K, src_mask)
            o = np.concatenate([h_next, c], axis=1)
        z = o @ p["Wy"] + p["by"]
        z = z - z.max(axis=1, keepdims=True)
        return z - np.log(np.exp(z).sum(axis=1, keepdims=True)), h_next, alpha

    def greedy(self, src, src_mask, max_len=12):
        """Greedy decoding: at every step emit the most probable character.

        Returns
        -------
        ids : numpy.ndarray of int, shape (N, max_len)
            Emitted ids (``</s>`` and after: padding to read with ``vocab.decode``).
        alphas : numpy.ndarray, shape (N, max_len, S) or None
            Attention weights per output step.
        """
        K, h, _ = self.encode(src, src_mask)
        y = np.full(src.shape[0], START)
        ids, alphas = [], []
        for _ in range(max_len):
            logp, h, alpha = self.step(y, h, K, src_mask)
            y = logp.argmax(axis=1)
            ids.append(y)
            alphas.append(alpha)
        ids = np.stack(ids, axis=1)
        return ids, None if self.attention is None else np.stack(alphas, axis=1)

    def beam(self, src, src_mask, width=4, max_len=12, length_norm=None):
        """Beam search: keep the ``width`` most probable prefixes at every step.

        A prefix that emits ``</s>`` is finished; the search stops when ``width``
        prefixes have finished or after ``max_len`` steps, and returns the finished
        one of highest :func:`beam_score`. All live prefixes have the same length,
        so they are pruned by total log-probability; only finished outputs of
        different lengths are compared by the score.

        Parameters
        ----------
        src : numpy.ndarray of int, shape (N, S)
        src_mask : numpy.ndarray of bool, shape (N, S)
        width : int
        max_len : int
            Most tokens to emit, ``</s>`` included.
        length_norm : None, "mean" or float
            How finished outputs are ranked (:func:`beam_score`). With None (the
            total log-probability) an output that ends early wins whenever its few
            steps cost less than the many steps of a complete one: every target
            here has 10 characters, yet a model can end one after 4 (the
            short-output bias). ``"mean"`` or Wu et al.'s ``alpha`` counteracts it.

        Returns
        -------
        ids : list of list of int
            The best sequence per example, ``</s>`` included if reached.
        log_probs : numpy.ndarray, shape (N,)
            Its total log-probability.
        """
        if not (isinstance(width, int) and width >= 1):
            raise ValueError(f"width must be an integer >= 1, got {width!r}")
        beam_score(-1.0, 1, length_norm)  # checks length_norm before the search
        K_all, h_all, _ = self.encode(src, src_mask)
        best, scores = [], []
        for n in range(src.shape[0]):
            K, m = K_all[n : n + 1], src_mask[n : n + 1]
            prefixes, logps, h = [[]], np.zeros(1), h_all[n : n + 1]
            done = []  # (log-prob, ids) of finished prefixes
            for _ in range(max_len):
                B = len(prefixes)
                y = np.array([ids[-1] if ids else START for ids in prefixes])
                logp, h, _ = self.step(y, h, np.repeat(K, B, 0), np.repeat(m, B, 0))
                total = (logps[:, None] + logp).ravel()  # (B * V,) every extension
                keep = np.argsort(-total, kind="stable")[: width - len(done)]
                rows, ys = np.divmod(keep, logp.shape[1])
                prefixes = [prefixes[b] + [int(v)] for b, v in zip(rows, ys, strict=True)]
                logps, h = total[keep], h[rows]
                ended = ys == END
                done += [(lp, ids) for lp, ids, e in zip(logps, prefixes, ended, strict=True) if e]
                prefixes = [ids for ids, e in zip(prefixes, ended, strict=True) if not e]
                logps, h = logps[~ended], h[~ended]
                if len(done) >= width or not prefixes:
                    break
            done += list(zip(logps, prefixes, strict=True))  # unfinished, if max_len was hit
            lp, ids = max(done, key=lambda d: beam_score(min(d[0], 0.0), len(d[1]), length_norm))
            best.append(ids)
            scores.append(lp)
        return best, np.array(scores)


def train(model, batches, lr=0.01, clip=5.0, callback=None):
    """Teacher-forced training with Adam and gradient clipping by norm.

    Parameters
    ----------
    model : Seq2Seq
        Its parameters are updated in place.
    batches : iterable of tuple
        Each ``(src, src_mask, tgt_in, tgt_out, tgt_mask)``, as
        :func:`rnnlib.dates.encode_batch` returns.
    lr : float
        Adam's learning rate.
    clip : float
        Maximum global gradient norm (:func:`rnnlib.optim.clip_grad_norm`).
    callback : callable, optional
        ``callback(step, loss)`` after every step (a progress display, say).

    Returns
    -------
    losses : numpy.ndarray, shape (steps,)
        The training loss of every batch.
    """
    if not isinstance(model, Seq2Seq):
        raise ValueError(f"model must be a Seq2Seq, got {type(model).__name__}")
    lr = check_number("lr", lr, 0, open_low=True)
    clip = check_number("clip", clip, 0, open_low=True)
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be callable or None, got {type(callback).__name__}")
    if isinstance(batches, str | bytes | np.ndarray) or not hasattr(batches, "__iter__"):
        raise ValueError(f"batches must be an iterable of batches, got {type(batches).__name__}")
    opt = Adam(lr)
    losses = []
    for k, batch in enumerate(batches):
        if not isinstance(batch, tuple | list) or len(batch) != 5:
            raise ValueError(
                "batches must yield (src, src_mask, tgt_in, tgt_out, tgt_mask) tuples, "
                f"as dates.encode_batch returns; got {type(batch).__name__}"
            )
        loss, grads = model.loss(*batch)
        clip_grad_norm(grads, clip)
        opt.step(model.params, grads)
        losses.append(loss)
        if callback is not None:
            callback(k, loss)
    return np.array(losses)


def translate(model, vocab, sources, max_len=11, width=None, length_norm=None):
    """Decode strings with a trained model: greedy (``width=None``) or by beam search.

    Parameters
    ----------
    model : Seq2Seq
    vocab : object with ``encode`` and ``decode`` (e.g. :class:`rnnlib.dates.DateVocab`)
    sources : list of str
    max_len : int
        Most characters to emit (``</s>`` included).
    width : int, optional
        Beam width; None for greedy decoding.
    length_norm : None, "mean" or float
        How the beam ranks finished outputs (:func:`beam_score`); beam search only.

    Returns
    -------
    outputs : list of str
    alphas : list of numpy.ndarray or None
        Greedy only, with attention: per example the weights, shape
        (characters emitted, characters of the source), ``</s>`` included.
    """
    from rnnlib.dates import encode_batch  # the padding convention of the task

    if not isinstance(model, Seq2Seq):
        raise ValueError(f"model must be a Seq2Seq, got {type(model).__name__}")
    max_len = check_int("max_len", max_len)
    width = None if width is None else check_int("width", width)
    src, mask = encode_batch(vocab, sources)
    if width is not None:
        ids, _ = model.beam(src, mask, width=width, max_len=max_len, length_norm=length_norm)
        return [vocab.decode(i) for i in ids], None
    ids, alphas = model.greedy(src, mask, max_len=max_len)
    outputs = [vocab.decode(i) for i in ids]
    if alphas is None:
        return outputs, None
    cut = [min(len(o) + 1, max_len) for o in outputs]  # the characters, then </s>
    return outputs, [alphas[n, : cut[n], : len(sources[n])] for n in range(len(sources))]


def first_error(output, target):
    """Index of the first character where ``output`` differs from ``target`` (None if equal).

    A missing or extra character counts at the position where it is missing or extra.
    """
    for name, text in (("output", output), ("target", target)):
        if not isinstance(text, str):
            raise ValueError(f"{name} must be a str, got {type(text).__name__}")
    for k, (a, b) in enumerate(zip(output, target, strict=False)):
        if a != b:
            return k
    return None if len(output) == len(target) else min(len(output), len(target))


#: Settings of notebook 09's comparison with and without attention (tools/train_dates.py
#: ships its weights): embedding size E, the attention model's hidden size H (the model
#: without attention gets the H that matches its parameter count), training pairs,
#: batch size and Adam's learning rate, one rate for both models.
BOTTLENECK = dict(E=16, H=32, n_train=20000, batch=32, lr=0.01)


def training_pairs(seed):
    """The training pairs of seed ``seed`` in :func:`train_with_and_without_attention`.

    ``rnnlib.dates.make_dates(BOTTLENECK["n_train"], numpy.random.default_rng([seed, 0]))``:
    use it to tell which test sources a model saw in training.

    Parameters
    ----------
    seed : int

    Returns
    -------
    sources, targets : list of str
    """
    from rnnlib.dates import make_dates

    seed = check_int("seed", seed, low=0)
    return make_dates(BOTTLENECK["n_train"], np.random.default_rng([seed, 0]))


def train_with_and_without_attention(seed, steps, log=None):
    """Train the two models of the bottleneck experiment for one seed.

    A GRU encoder-decoder with additive attention (``H = 32``) and one without, its
    hidden size chosen by :func:`matched_hidden_size` so that both have about the same
    number of parameters. Both see the same training pairs (:func:`training_pairs`)
    and the same batches, with one learning rate for both (sizes and rate from
    :data:`BOTTLENECK`; no per-model tuning).

    Parameters
    ----------
    seed : int
    steps : int
        Training steps (batches) of each model.
    log : callable, optional
        Called with one line of text per trained model.

    Returns
    -------
    dict
        ``{"attention": Seq2Seq, "none": Seq2Seq}``.
    """
    from rnnlib.dates import DateVocab, date_batches

    b = BOTTLENECK
    vocab = DateVocab()
    V = len(vocab)
    sources, targets = training_pairs(seed)
    H_plain = matched_hidden_size(Seq2Seq.count(V, b["E"], b["H"]), V, b["E"])
    models = {}
    for kind, att, H in (("attention", "additive", b["H"]), ("none", None, H_plain)):
        model = Seq2Seq(V, b["E"], H, np.random.default_rng([seed, 1]), attention=att)
        rng = np.random.default_rng([seed, 2])  # the same batches for both models
        losses = train(
            model, date_batches(vocab, sources, targets, b["batch"], steps, rng), lr=b["lr"]
        )
        if log is not None:
            log(
                f"seed {seed} {kind:9s} H={H} params={model.n_params} "
                f"loss (last 100 batches) {losses[-100:].mean():.4f}"
            )
        models[kind] = model
    return models
