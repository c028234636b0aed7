"""Notebook 07: a character-level language model, its training display, sampler and saliency.

Four groups of helpers, all thin layers over :class:`rnnlib.models.SequenceModel`:

* data and weights: :func:`train_val_split`, :func:`evaluate`, :func:`save_charlm`,
  :func:`load_charlm` (an ``.npz`` that :meth:`SequenceModel.load` also reads, plus
  the vocabulary and a note of how it was trained);
* training display: :class:`LiveTraining` (a progress bar and a loss curve redrawn
  *during* ``model.train``) and :func:`plot_loss_curves` (the static figure);
* sampling: :func:`sample_text`, :func:`repetition`, :func:`real_word_fraction` and
  the widget :func:`sampler` (temperature slider and prompt box);
* saliency: :func:`saliency` (how strongly each earlier character moves the log
  probability of the next one), :func:`saliency_windows`, :func:`lag_profile`,
  :func:`saliency_html` (coloured text), :func:`plot_saliency_by_lag` and the widget
  :func:`saliency_explorer`;

plus :func:`throughput`, characters per second of training at a given batch size, and
:func:`min_char_rnn_throughput`, the same for a min-char-rnn style loop (batch 1).
"""

from __future__ import annotations

import html
import io
import json
import time

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from rnnlib import plotting
from rnnlib.data import CharVocab, text_batches
from rnnlib.models import SequenceModel, _softmax_temperature
from rnnlib.optim import Adagrad

__all__ = [
    "LAG_FAR",
    "LAG_NEAR",
    "SALIENCY_LEVELS",
    "SAMPLER_CHARS",
    "VAL_FRACTION",
    "LiveTraining",
    "evaluate",
    "lag_profile",
    "load_charlm",
    "min_char_rnn_throughput",
    "plot_loss_curves",
    "plot_saliency_by_lag",
    "real_word_fraction",
    "repetition",
    "saliency",
    "saliency_comparison_html",
    "saliency_explorer",
    "saliency_html",
    "saliency_windows",
    "sample_text",
    "sampler",
    "save_charlm",
    "throughput",
    "train_val_split",
]

#: the last 10 % of the corpus is the validation text
VAL_FRACTION = 0.1
#: "near" means at most this many characters back (lag 0 is the current input) ...
LAG_NEAR = 10
#: ... and "far" more than this many
LAG_FAR = 40
#: number of colour levels of the saliency text (rounded, so the HTML is reproducible)
SALIENCY_LEVELS = 8
#: a light-to-dark single-hue map: readable text on every level, colour-blind safe
SALIENCY_CMAP = "Purples"
LN2 = np.log(2.0)
#: characters the sampler widget writes per update (about 0.05 s for the shipped LSTM)
SAMPLER_CHARS = 250


# ----------------------------------------------------------------- data and weights


def train_val_split(ids, val_fraction=VAL_FRACTION):
    """Cut an id stream in two: the first part to train on, the last to validate.

    Parameters
    ----------
    ids : numpy.ndarray of int, shape (L,)
    val_fraction : float
        Share of the stream, taken from its end, held out for validation.

    Returns
    -------
    train_ids : numpy.ndarray, shape (L - L_val,)
    val_ids : numpy.ndarray, shape (L_val,)

    Notes
    -----
    A contiguous cut, not a random one: shuffled characters would leak the same
    sentences into both parts, and the validation loss would flatter the model.
    """
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    cut = int(round(len(ids) * (1 - val_fraction)))
    return ids[:cut], ids[cut:]


def evaluate(model, ids, batch_size=16, seq_len=256):
    """Mean cross-entropy of ``model`` on an id stream, in nats per character.

    The stream is read as :func:`rnnlib.data.text_batches` lays it out, carrying
    the state from batch to batch, so every character after the first few of each
    row is predicted with a long context. Forward passes only: no gradients.

    Parameters
    ----------
    model : SequenceModel
        A character model (``embedding=True``, ``loss="cross_entropy"``).
    ids : numpy.ndarray of int, shape (L,)
    batch_size, seq_len : int
        Layout of the reading; they change the result only through the context
        each row starts without.

    Returns
    -------
    float
        ``-mean log p(next char)`` over the ``batch_size * ((L - 1) // batch_size)``
        predictions. Divide by ``ln 2`` for bits per character.
    """
    total, count, state = 0.0, 0, None
    for x, y in text_batches(ids, batch_size, seq_len):
        logits, cache = model.forward(x, state)  # (N, T, V)
        z = logits.astype(np.float64)
        z -= z.max(axis=-1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))  # log-softmax
        total -= np.take_along_axis(log_p, y[..., None], axis=-1).sum()
        count += y.size
        state = cache.final_state
    return total / count


def save_charlm(path, model, vocab, info=None):
    """Save a character model with its vocabulary; :func:`load_charlm` reads it back.

    The file is what :meth:`SequenceModel.save` writes (``__config__`` and one array
    per parameter), plus ``__chars__`` (the vocabulary, one string) and ``__info__``
    (JSON: how the weights were made). ``SequenceModel.load`` reads it too.

    Parameters
    ----------
    path : str or pathlib.Path
        Ends with ``.npz``.
    model : SequenceModel
    vocab : rnnlib.data.CharVocab
    info : dict, optional
        JSON-serialisable notes (command, steps, losses).
    """
    np.savez(path, __config__=np.array(json.dumps(model.config)),
             __chars__=np.array("".join(vocab.chars)),
             __info__=np.array(json.dumps(info or {})), **model.params)


def load_charlm(path):
    """Load a model saved by :func:`save_charlm`.

    Returns
    -------
    model : SequenceModel
    vocab : rnnlib.data.CharVocab
        Built from the saved characters: the same ids as when it was trained.
    info : dict
    """
    model = SequenceModel.load(path)
    with np.load(path, allow_pickle=False) as f:
        vocab = CharVocab(str(f["__chars__"]))
        info = json.loads(str(f["__info__"])) if "__info__" in f.files else {}
    if vocab.size != model.config["input_size"]:
        raise ValueError(f"{path}: {vocab.size} characters but a model for "
                         f"{model.config['input_size']}")
    return model, vocab, info


# ------------------------------------------------------------------ training display


def _smooth(values, window):
    """Trailing mean over ``window`` values (shorter at the start); same length."""
    values = np.asarray(values, dtype=np.float64)
    if window <= 1 or len(values) == 0:
        return values
    c = np.cumsum(np.insert(values, 0, 0.0))
    k = np.arange(1, len(values) + 1)
    lo = np.maximum(k - window, 0)
    return (c[k] - c[lo]) / (k - lo)


def plot_loss_curves(losses, baseline_bits=None, val_bits=None, smooth=10, total_steps=None,
                     ax=None):
    """Does the training loss fall below the unigram baseline, and for which model first?

    Parameters
    ----------
    losses : dict of str -> sequence of float
        Training loss per step **in nats per character**, by model name
        (``"LSTM"``, ``"RNN"``: their colours are the course's).
    baseline_bits : float, optional
        The unigram model's cross-entropy on the same text, drawn as a line.
    val_bits : dict of str -> float, optional
        Validation bits per character, drawn as a marker after the last step.
    smooth : int
        Trailing-mean window drawn on top of the raw (faint) curve.
    total_steps : int, optional
        Fix the x range (for a curve that is still growing).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax)
    for name, loss in losses.items():
        bits = np.asarray(loss, dtype=np.float64) / LN2
        color = plotting.COLORS.get(name.lower(), None)
        steps = np.arange(1, len(bits) + 1)
        ax.plot(steps, bits, color=color, alpha=0.25, lw=1)
        label = f"{name} (mean of last {smooth} steps)" if smooth > 1 else name
        ax.plot(steps, _smooth(bits, smooth), color=color, label=label)
        if val_bits and name in val_bits:
            ax.plot([len(bits)], [val_bits[name]], "D", color=color, ms=7,
                    label=f"{name} validation: {val_bits[name]:.2f}")
    if baseline_bits is not None:
        ax.axhline(baseline_bits, color=plotting.COLORS["bound"], ls="--", lw=1.5,
                   label=f"unigram baseline: {baseline_bits:.2f}")
    if total_steps:
        ax.set_xlim(0, total_steps + 1)
    ax.legend(loc="upper right")
    plotting.label(ax, "training step", "loss (bits per character)",
                   "Training loss: below the unigram baseline?")
    return fig


class LiveTraining:
    """A progress bar and a loss curve that update while ``model.train`` runs.

    Pass it as the ``callback`` of :meth:`SequenceModel.train`; call :meth:`close`
    after training. The bar is an ``ipywidgets.IntProgress`` and the curve a
    matplotlib figure shown with ``IPython.display.display(..., display_id=True)``
    and redrawn in place every ``every`` steps. :meth:`close` replaces the bar with
    a one-line summary, so the saved notebook holds no live widget.

    Parameters
    ----------
    total_steps : int
    name : str
        ``"LSTM"`` or ``"RNN"`` (the curve's colour and label).
    every : int
        Redraw the curve every ``every`` steps (a redraw costs ~0.1 s).
    baseline_bits : float, optional
        Drawn as a dashed line (see :func:`plot_loss_curves`).
    chars_per_step : int, optional
        Characters in one batch (``N * T``); shown as a speed in chars/s.
    display : bool
        False: record the losses only (for tests and scripts).

    Attributes
    ----------
    losses : list of float
        Loss of every step seen, in nats per character.
    summary : str
        After :meth:`close`: steps, last loss, time and speed.
    """

    def __init__(self, total_steps, name="LSTM", every=10, baseline_bits=None,
                 chars_per_step=None, display=True):
        self.total_steps, self.name, self.every = int(total_steps), name, max(int(every), 1)
        self.baseline_bits, self.chars_per_step = baseline_bits, chars_per_step
        self.losses = []
        self.summary = ""
        self._start = time.perf_counter()
        self._bar = self._bar_handle = self._fig_handle = None
        # a Figure made without pyplot: the inline backend does not show it again at
        # the end of the cell, and redrawing it does not open new figures
        self._fig = Figure(figsize=(7.0, 3.2), dpi=100, layout="constrained")
        if display:
            import ipywidgets
            from IPython.display import display as show

            self._progress = ipywidgets.IntProgress(
                value=0, min=0, max=self.total_steps, description=f"{name}:",
                layout=ipywidgets.Layout(width="50%"))
            self._label = ipywidgets.Label(value=f"step 0/{self.total_steps}")
            self._bar = ipywidgets.HBox([self._progress, self._label])
            self._bar_handle = show(self._bar, display_id=True)
            self._fig_handle = show(self._png(), display_id=True)

    def _png(self):
        """The current curve as a PNG image (independent of the matplotlib backend)."""
        from IPython.display import Image

        self._fig.clear()
        ax = self._fig.add_subplot()
        plot_loss_curves({self.name: self.losses}, self.baseline_bits,
                         total_steps=self.total_steps, ax=ax)
        # a fixed y range while the curve grows, so that it does not jump at every redraw
        top = max([8.0] + [x / LN2 for x in self.losses[:1]])
        ax.set_ylim(0, top)
        buffer = io.BytesIO()
        self._fig.savefig(buffer, format="png")
        return Image(data=buffer.getvalue(), format="png")

    def _status(self):
        step = len(self.losses)
        seconds = time.perf_counter() - self._start
        msg = f"{self.name}: step {step}/{self.total_steps}"
        if self.losses:
            msg += f", loss {self.losses[-1] / LN2:.2f} bits/char"
        msg += f", {seconds:.0f} s"
        if self.chars_per_step and seconds > 0:
            msg += f", {step * self.chars_per_step / seconds:,.0f} chars/s"
        return msg

    def __call__(self, step, loss, model):
        """The ``train`` callback: record the loss, move the bar, redraw now and then."""
        self.losses.append(float(loss))
        if self._bar is not None:
            self._progress.value = len(self.losses)
            self._label.value = self._status()
            done = len(self.losses) == self.total_steps
            if (len(self.losses) % self.every == 0 or done) and self._fig_handle:
                self._fig_handle.update(self._png())
        return False  # never stop training early

    def close(self):
        """Replace the bar by a summary line (the figure stays).

        Returns nothing, so that a cell ending with ``live.close()`` shows nothing
        more; the summary is :attr:`summary`.
        """
        self.summary = self._status()
        if self._bar is not None:
            from IPython.display import HTML

            if self._fig_handle:  # None outside IPython: nothing was shown
                self._fig_handle.update(self._png())
                self._bar_handle.update(HTML(f"<code>{html.escape(self.summary)}</code>"))
            for w in (self._progress, self._label, self._bar):
                w.close()
            self._bar = None


# ------------------------------------------------------------------------ sampling


def sample_text(model, vocab, prompt, n=300, temperature=1.0, seed=0):
    """Let the model write ``n`` characters after ``prompt``.

    ``p = softmax(logits / temperature)``, next character ``~ p``, fed back in.

    Parameters
    ----------
    model : SequenceModel
    vocab : rnnlib.data.CharVocab
    prompt : str
        At least one character, all in the vocabulary.
    n : int
    temperature : float
        > 0; below 1 sharpens the distribution, above 1 flattens it.
    seed : int
        The same seed (and the same model) gives the same text.

    Returns
    -------
    str
        The ``n`` new characters (without the prompt).
    """
    rng = np.random.default_rng(seed)
    return vocab.decode(model.sample(vocab.encode(prompt), n, rng, temperature))


def repetition(text, n=20):
    """Share of the ``n``-character windows of ``text`` that occur in it more than once.

    A model stuck in a loop (low temperature) scores near 1; varied text near 0.

    Returns
    -------
    float in [0, 1]
    """
    grams = [text[k : k + n] for k in range(len(text) - n + 1)]
    if not grams:
        return 0.0
    counts = {}
    for g in grams:
        counts[g] = counts.get(g, 0) + 1
    return sum(counts[g] > 1 for g in grams) / len(grams)


def _words(text):
    return "".join(ch if ch.isalpha() else " " for ch in text.lower()).split()


def real_word_fraction(text, known_words, min_len=3):
    """Share of the words of ``text`` that are in ``known_words``.

    Parameters
    ----------
    text : str
        Its words are its runs of letters, lower-cased.
    known_words : set of str
        Lower-case words, for example those of the training text.
    min_len : int
        Shorter words are ignored: one- and two-letter strings ("x", "i", "ab")
        are names or words so often that even random letters would count.

    Returns
    -------
    float in [0, 1] (0 for a text without such words)
    """
    words = [w for w in _words(text) if len(w) >= min_len]
    return sum(w in known_words for w in words) / len(words) if words else 0.0


def _sample_view(model, vocab, prompt, temperature, seed, n, known_words):
    """The sampler's output: a caption (it changes with every control) and the text."""
    bad = sorted(set(prompt) - set(vocab.chars))
    if not prompt or bad:
        print(f"The prompt needs at least one character, all from the corpus; "
              f"not in it: {bad!r}" if bad else "Type a prompt of at least one character.")
        return
    text = sample_text(model, vocab, prompt, n, temperature, seed)
    stats = f"repeated 20-char windows {repetition(text):.0%}"
    if known_words is not None:
        stats += f", real words {real_word_fraction(text, known_words):.0%}"
    print(f"temperature {temperature:.2f}, seed {seed}: {stats}\n{'-' * 60}")
    print(prompt + text)


def sampler(model, vocab, prompt="The ", temperature=0.8, n=SAMPLER_CHARS, seed=0,
            known_words=None):
    """Widget: sample text with a temperature slider, a prompt box and a seed.

    Parameters
    ----------
    model : SequenceModel
        A character model.
    vocab : rnnlib.data.CharVocab
    prompt : str
        Initial text of the prompt box.
    temperature : float
        Initial position of the (log-scale) slider, 0.1 to 3.
    n : int
        Characters to write per update.
    seed : int
        Initial seed; the same controls always give the same text.
    known_words : set of str, optional
        Enables the "real words" share in the caption.

    Returns
    -------
    ipywidgets.interactive
        Controls: ``temperature`` (FloatLogSlider), ``prompt`` (Text, applied on
        Enter), ``seed`` (IntSlider).
    """
    import ipywidgets

    controls = dict(
        temperature=ipywidgets.FloatLogSlider(
            value=temperature, base=10, min=-1, max=np.log10(3), step=0.05,
            description="temperature", readout_format=".2f", continuous_update=False,
            style={"description_width": "initial"}, layout=ipywidgets.Layout(width="60%")),
        prompt=ipywidgets.Text(value=prompt, description="prompt",
                               continuous_update=False),
        seed=ipywidgets.IntSlider(value=seed, min=0, max=20, description="seed",
                                  continuous_update=False),
    )

    def view(temperature, prompt, seed):
        _sample_view(model, vocab, prompt, temperature, seed, n, known_words)

    w = ipywidgets.interactive(view, **controls)
    w.layout = ipywidgets.Layout(width="100%")
    return w


# ------------------------------------------------------------------------ saliency


def saliency(model, ids, t):
    """How strongly each input character moves the log-probability of the next one.

    For the prediction made after reading ``ids[0..t]`` (its target is
    ``ids[t + 1]``), the saliency of position ``s <= t`` is

        S_s = || d log p(ids[t+1] | ids[0..t]) / d e_s ||,

    the norm of the gradient with respect to the *embedded* input ``e_s``
    (``W_embed[ids[s]]``): one forward pass and one backward pass from a
    gradient that is non-zero only at the output of step ``t``.

    Parameters
    ----------
    model : SequenceModel
        A character model (embedding, cross-entropy).
    ids : numpy.ndarray of int, shape (L,)
        The text, with ``L >= t + 2``; the state starts from zeros at ``ids[0]``.
    t : int
        Position of the last character read (``0 <= t <= L - 2``).

    Returns
    -------
    numpy.ndarray, shape (t + 1,)
        ``S_0 .. S_t``; ``S_t`` is the current input (lag 0).
    """
    ids = np.asarray(ids, dtype=np.int64)
    if not 0 <= t <= len(ids) - 2:
        raise ValueError(f"t must be in [0, {len(ids) - 2}] (the next character must "
                         f"exist), got {t}")
    return saliency_windows(model, ids[None, : t + 2])[0]


def saliency_windows(model, windows):
    """:func:`saliency` of the last prediction of every row of ``windows``, in one pass.

    Parameters
    ----------
    model : SequenceModel
    windows : numpy.ndarray of int, shape (N, L + 1)
        Each row is read up to its second-to-last id; the last id is the target.

    Returns
    -------
    numpy.ndarray, shape (N, L)
        Row ``n``, column ``s``: the saliency of ``windows[n, s]``; the last column
        is lag 0.
    """
    windows = np.asarray(windows, dtype=np.int64)
    x, target = windows[:, :-1], windows[:, -1]  # (N, L), (N,)
    logits, cache = model.forward(x)  # (N, L, V)
    p = _softmax_temperature_rows(logits[:, -1])  # (N, V)
    # d log p_y / d logits = onehot(y) - p, at the last step only
    dlogits = np.zeros_like(logits)
    dlogits[:, -1] = -p
    dlogits[np.arange(len(target)), -1, target] += 1
    grads = model.backward(dlogits, cache)
    return np.linalg.norm(grads["x"].astype(np.float64), axis=-1)  # (N, L)


def _softmax_temperature_rows(logits):
    return np.stack([_softmax_temperature(row, 1.0) for row in logits])


def lag_profile(norms, near=LAG_NEAR, far=LAG_FAR):
    """Summaries of saliency by lag: where does the gradient mass sit?

    Parameters
    ----------
    norms : numpy.ndarray, shape (N, L) or (L,)
        From :func:`saliency_windows` (last column = lag 0).
    near, far : int
        Two lags to report the mass beyond.

    Returns
    -------
    dict
        ``"profile"``: (L,) mean share of the mass at lag ``k`` (each row normalised
        to sum 1 first, so every prediction counts equally); ``"mean_lag"``: the
        mass-weighted mean lag; ``"far_share"``: the share of the mass at lags
        ``> near``; ``"tail_share"``: at lags ``> far``.
    """
    norms = np.atleast_2d(np.asarray(norms, dtype=np.float64))[:, ::-1]  # column k = lag k
    share = norms / norms.sum(axis=1, keepdims=True)
    profile = share.mean(axis=0)
    lags = np.arange(profile.size)
    return {"profile": profile, "mean_lag": float(profile @ lags),
            "far_share": float(profile[near + 1 :].sum()),
            "tail_share": float(profile[far + 1 :].sum())}


def _level_colors():
    cmap = mpl.colormaps[SALIENCY_CMAP]
    # levels 0..L-1 -> colours from white-ish to dark; level 0 is "no colour"
    return [mpl.colors.to_hex(cmap(k / (SALIENCY_LEVELS - 1))) for k in range(SALIENCY_LEVELS)]


def saliency_html(text, norms, title=""):
    """The text with each character's background coloured by its saliency.

    Colours are ``SALIENCY_LEVELS`` rounded levels of the ``Purples`` map (light to
    dark, one hue: readable and colour-blind safe), so the HTML is reproducible.
    Levels follow ``sqrt(S / max S)``, which keeps small but real influences
    visible. The predicted character follows the text, boxed.

    Parameters
    ----------
    text : str
        The characters read, ``len(text) == len(norms)``, then the predicted one:
        pass ``len(norms) + 1`` characters.
    norms : numpy.ndarray, shape (L,)
        From :func:`saliency`.
    title : str
        Shown above the text.

    Returns
    -------
    str
        An HTML fragment.
    """
    norms = np.asarray(norms, dtype=np.float64)
    if len(text) != len(norms) + 1:
        raise ValueError(f"text must hold len(norms) + 1 = {len(norms) + 1} characters "
                         f"(those read, then the predicted one), got {len(text)}")
    colors = _level_colors()
    top = norms.max() if norms.size and norms.max() > 0 else 1.0
    levels = np.minimum((np.sqrt(norms / top) * SALIENCY_LEVELS).astype(int),
                        SALIENCY_LEVELS - 1)
    parts = []
    for ch, lv in zip(text[:-1], levels, strict=True):
        shown = "\u21b5\n" if ch == "\n" else html.escape(ch)
        fg = "#ffffff" if lv >= SALIENCY_LEVELS // 2 else "#000000"
        parts.append(f'<span style="background-color:{colors[lv]};color:{fg}">{shown}</span>')
    target = "\u21b5" if text[-1] == "\n" else html.escape(text[-1])
    parts.append(f'<span style="outline:2px solid #D55E00">{target}</span>')
    head = f"<div><b>{html.escape(title)}</b></div>" if title else ""
    return (f'<div style="flex:1;min-width:280px">{head}<div style="font-family:monospace;'
            f'white-space:pre-wrap;line-height:1.5;font-size:13px">{"".join(parts)}</div></div>')


def _legend_html():
    colors = _level_colors()
    cells = "".join(f'<span style="background-color:{c}">&nbsp;&nbsp;&nbsp;</span>'
                    for c in colors)
    return (f'<div style="font-size:12px">weak {cells} strong influence '
            f'(&radic; of the gradient norm, relative to its largest value); '
            f'<span style="outline:2px solid #D55E00">boxed</span>: the character to predict'
            f'</div>')


def saliency_comparison_html(models, vocab, text, t, context=None):
    """RNN and LSTM side by side: which earlier characters move the prediction at ``t``?

    Parameters
    ----------
    models : dict of str -> SequenceModel
        For example ``{"RNN": rnn, "LSTM": lstm}``.
    vocab : rnnlib.data.CharVocab
    text : str
        The text read from its first character.
    t : int
        The model has read ``text[0..t]`` and predicts ``text[t + 1]``.
    context : int, optional
        Show only the last ``context`` characters read (the saliency is still
        computed from the start of ``text``).

    Returns
    -------
    str
        HTML: a caption per model (probability of the right character, share of
        the gradient mass more than ``LAG_NEAR`` characters back), the coloured
        texts, a legend.
    """
    ids = vocab.encode(text)
    start = 0 if context is None else max(0, t + 1 - context)
    blocks, notes = [], []
    for name, model in models.items():
        norms = saliency(model, ids, t)
        prof = lag_profile(norms)
        logits, _ = model.forward(ids[None, : t + 1])
        p = _softmax_temperature(logits[0, -1], 1.0)[ids[t + 1]]
        title = (f"{name}: p({text[t + 1]!r}) = {p:.2f}, "
                 f"{prof['far_share']:.0%} of the mass > {LAG_NEAR} back")
        blocks.append(saliency_html(text[start : t + 2], norms[start:], title))
        notes.append(title)
    caption = (f"<div>Position {t}: after reading "
               f"<code>{html.escape(text[max(0, t - 11) : t + 1])!r}</code>, "
               f"predict <code>{html.escape(text[t + 1])!r}</code></div>")
    body = f'<div style="display:flex;gap:24px;flex-wrap:wrap">{"".join(blocks)}</div>'
    return caption + body + _legend_html()


def saliency_explorer(models, vocab, text, t=None, context=120):
    """Widget: choose the position to explain; see RNN and LSTM saliency side by side.

    Parameters
    ----------
    models : dict of str -> SequenceModel
    vocab : rnnlib.data.CharVocab
    text : str
        At most a few hundred characters (each update runs one forward and one
        backward pass per model over ``text[0..t]``).
    t : int, optional
        Initial position; default the last one.
    context : int
        Characters shown before the prediction.

    Returns
    -------
    ipywidgets.interactive
        Control: ``t`` (IntSlider over the positions of ``text``).
    """
    import ipywidgets
    from IPython.display import HTML, display

    last = len(text) - 2
    slider = ipywidgets.IntSlider(value=last if t is None else t, min=1, max=last,
                                  description="position t", continuous_update=False,
                                  style={"description_width": "initial"},
                                  layout=ipywidgets.Layout(width="70%"))

    def view(t):
        display(HTML(saliency_comparison_html(models, vocab, text, t, context)))

    w = ipywidgets.interactive(view, t=slider)
    w.layout = ipywidgets.Layout(width="100%")
    return w


def plot_saliency_by_lag(profiles, max_lag=None, ax=None):
    """Does the LSTM's prediction depend on characters further back than the RNN's?

    Parameters
    ----------
    profiles : dict of str -> dict
        ``{name: lag_profile(...)}``.
    max_lag : int, optional
        Last lag drawn (default: all).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        Mean share of the saliency mass at each lag (log scale), one line per model,
        with dotted lines at ``LAG_NEAR`` and ``LAG_FAR``.
    """
    fig, ax = plotting.figure_axes(ax)
    for name, prof in profiles.items():
        share = prof["profile"] if max_lag is None else prof["profile"][: max_lag + 1]
        ax.semilogy(np.arange(share.size), share, color=plotting.COLORS.get(name.lower()),
                    label=f"{name}: {prof['far_share']:.0%} beyond lag {LAG_NEAR}, "
                          f"{prof['tail_share']:.1%} beyond lag {LAG_FAR}")
    for lag in (LAG_NEAR, LAG_FAR):
        ax.axvline(lag + 0.5, color=plotting.COLORS["bound"], ls=":", lw=1.5)
    ax.legend(loc="upper right")
    plotting.label(ax, "lag $k = t - s$ (characters back)", "mean share of saliency",
                   "How far back does the next-character prediction look?")
    return fig


# --------------------------------------------------------------------- throughput


def throughput(cell, hidden_size, vocab_size, ids, batch_size, seq_len=25, steps=10,
               embed_size=32, seed=0):
    """Training speed in characters per second at one batch size (Adagrad, clip 5).

    Builds a fresh float32 model, trains one warm-up step, then times ``steps``
    steps of :meth:`SequenceModel.train` on :func:`rnnlib.data.text_batches`.

    Returns
    -------
    float
        ``batch_size * seq_len * steps / seconds``.
    """
    model = SequenceModel(vocab_size, hidden_size, vocab_size, cell=cell, embedding=True,
                          embed_size=embed_size, task="many_to_many", loss="cross_entropy",
                          seed=seed, dtype=np.float32)
    batches = text_batches(ids, batch_size, seq_len)
    opt = Adagrad(0.1)
    model.train(batches, opt, steps=1, clip=5.0, carry_state=True)  # warm-up
    start = time.perf_counter()
    model.train(batches, opt, steps=steps, clip=5.0, carry_state=True)
    return batch_size * seq_len * steps / (time.perf_counter() - start)


def min_char_rnn_throughput(ids, V, hidden_size=100, seq_len=25, steps=100, seed=0):
    """Training speed of a min-char-rnn style loop: one stream, one vector per step.

    The algorithm of Karpathy's min-char-rnn (2015), written out with numpy in the
    course's row-vector convention: one-hot inputs (a row lookup of ``Wx``), a tanh
    RNN, softmax outputs, BPTT over windows of ``seq_len`` characters with the
    state carried between windows, every gradient clipped to [-5, 5], Adagrad with
    learning rate 0.1. Every product is a vector times a matrix.

    Parameters
    ----------
    ids : numpy.ndarray of int, shape (L,)
    V : int
        Vocabulary size.
    hidden_size, seq_len, steps, seed : int

    Returns
    -------
    float
        Characters per second (``steps * seq_len / seconds``).
    """
    H, SEQ = hidden_size, seq_len
    rng = np.random.default_rng(seed)
    Wx = 0.01 * rng.standard_normal((V, H))
    Wh = 0.01 * rng.standard_normal((H, H))
    Wy = 0.01 * rng.standard_normal((H, V))
    b, by = np.zeros(H), np.zeros(V)
    params = [Wx, Wh, Wy, b, by]
    memory = [np.zeros_like(p) for p in params]
    h_prev = np.zeros(H)
    pos = 0
    start = time.perf_counter()
    for _ in range(steps):
        if pos + SEQ + 1 >= len(ids):
            pos, h_prev = 0, np.zeros(H)
        x_ids, y_ids = ids[pos : pos + SEQ], ids[pos + 1 : pos + SEQ + 1]
        hs, ps = {-1: h_prev}, {}
        for t in range(SEQ):  # forward, one vector at a time
            hs[t] = np.tanh(Wx[x_ids[t]] + hs[t - 1] @ Wh + b)  # one-hot @ Wx is a row
            z = hs[t] @ Wy + by
            e = np.exp(z - z.max())
            ps[t] = e / e.sum()
        grads = [np.zeros_like(p) for p in params]
        dWx, dWh, dWy, db, dby = grads
        dh_next = np.zeros(H)
        for t in reversed(range(SEQ)):  # BPTT
            dz = ps[t].copy()
            dz[y_ids[t]] -= 1
            dWy += np.outer(hs[t], dz)
            dby += dz
            dh = dz @ Wy.T + dh_next  # both streams reaching h_t
            da = (1 - hs[t] ** 2) * dh
            dWx[x_ids[t]] += da
            dWh += np.outer(hs[t - 1], da)
            db += da
            dh_next = da @ Wh.T
        for p, g, m in zip(params, grads, memory, strict=True):  # clip, Adagrad
            np.clip(g, -5, 5, out=g)
            m += g * g
            p -= 0.1 * g / np.sqrt(m + 1e-8)
        h_prev, pos = hs[SEQ - 1], pos + SEQ
    return steps * SEQ / (time.perf_counter() - start)
