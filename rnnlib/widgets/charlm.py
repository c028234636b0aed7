"""Notebook 07: the character language model's figures and explorers.

Everything here draws; what it draws is computed by :mod:`rnnlib.lm` (evaluation,
sampling, saliency, n-gram baselines, context) and :mod:`rnnlib.min_char_rnn`.

* training display: :class:`LiveTraining` (a progress bar and a loss curve redrawn
  *during* ``model.train``) and :func:`plot_loss_curves` (the static figure, with the
  baselines as lines);
* sampling: the widget :func:`sampler` (temperature slider, prompt box, seed);
* saliency: :func:`saliency_html` (coloured text), :func:`saliency_comparison_html`,
  :func:`plot_saliency_by_lag` and the widget :func:`saliency_explorer`;
* context: :func:`plot_context_bits` (bits per character against the number of
  characters the model may read).
"""

from __future__ import annotations

import html
import io
import time

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from rnnlib import lm, plotting

from ._core import with_text_form

__all__ = [
    "SALIENCY_LEVELS",
    "SAMPLER_CHARS",
    "LiveTraining",
    "plot_context_bits",
    "plot_loss_curves",
    "plot_saliency_by_lag",
    "saliency_comparison_html",
    "saliency_explorer",
    "saliency_html",
    "sampler",
]

#: number of colour levels of the saliency text (rounded, so the HTML is reproducible)
SALIENCY_LEVELS = 8
#: a light-to-dark single-hue map: readable text on every level, colour-blind safe
SALIENCY_CMAP = "Purples"
LN2 = lm.LN2
#: characters the sampler widget writes per update (about 0.05 s for the shipped LSTM)
SAMPLER_CHARS = 250
#: line styles of the baselines drawn by :func:`plot_loss_curves`, in order
BASELINE_STYLES = ("--", "-.", ":", (0, (10, 3)))


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


def _baselines(baseline_bits):
    """``{label: bits}`` from a number (the unigram model) or a dict (any baselines)."""
    if baseline_bits is None:
        return {}
    if isinstance(baseline_bits, dict):
        return dict(baseline_bits)
    return {"unigram": float(baseline_bits)}


def plot_loss_curves(
    losses,
    baseline_bits=None,
    val_bits=None,
    smooth=10,
    total_steps=None,
    ax=None,
    title="Training loss: below the baselines?",
):
    """Does the training loss fall below the baselines, and for which model first?

    Parameters
    ----------
    losses : dict of str -> sequence of float
        Training loss per step **in nats per character**, by model name
        (``"LSTM"``, ``"RNN"``: their colours are the course's).
    baseline_bits : float or dict of str -> float, optional
        Bits per character of models without training, each drawn as a grey line
        of its own style: a number is the unigram model; a dict names them
        (``{"unigram": 4.66, "trigram": 2.47, "5-gram": 1.90}``).
    val_bits : dict of str -> float, optional
        Validation bits per character, drawn as a marker after the last step.
    smooth : int
        Trailing-mean window drawn on top of the raw (faint) curve.
    total_steps : int, optional
        Fix the x range (for a curve that is still growing).
    ax : matplotlib.axes.Axes, optional
    title : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = plotting.figure_axes(ax, figsize=(9.5, 3.6))
    for name, loss in losses.items():
        bits = np.asarray(loss, dtype=np.float64) / LN2
        color = plotting.COLORS.get(name.lower(), None)
        steps = np.arange(1, len(bits) + 1)
        ax.plot(steps, bits, color=color, alpha=0.25, lw=1)
        label = f"{name} (mean of last {smooth} steps)" if smooth > 1 else name
        ax.plot(steps, _smooth(bits, smooth), color=color, label=label)
        if val_bits and name in val_bits:
            ax.plot(
                [len(bits)],
                [val_bits[name]],
                "D",
                color=color,
                ms=7,
                label=f"{name} validation: {val_bits[name]:.2f}",
            )
    for k, (name, bits) in enumerate(_baselines(baseline_bits).items()):
        ax.axhline(
            bits,
            color=plotting.COLORS["bound"],
            lw=1.5,
            ls=BASELINE_STYLES[k % len(BASELINE_STYLES)],
            label=f"{name} baseline: {bits:.2f}",
        )
    if total_steps:
        ax.set_xlim(0, total_steps + 1)
    # outside the axes, on the right: inside, it would sit on the baselines' lines
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    plotting.label(ax, "training step", "loss (bits per character)", title)
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

    def __init__(
        self,
        total_steps,
        name="LSTM",
        every=10,
        baseline_bits=None,
        chars_per_step=None,
        display=True,
    ):
        self.total_steps, self.name, self.every = int(total_steps), name, max(int(every), 1)
        self.baseline_bits, self.chars_per_step = baseline_bits, chars_per_step
        self.losses = []
        self.summary = ""
        self._start = time.perf_counter()
        self._bar = self._bar_handle = self._fig_handle = None
        # a Figure made without pyplot: the inline backend does not show it again at
        # the end of the cell, and redrawing it does not open new figures
        self._fig = Figure(figsize=(9.5, 3.2), dpi=100, layout="constrained")
        if display:
            import ipywidgets
            from IPython.display import display as show

            self._progress = ipywidgets.IntProgress(
                value=0,
                min=0,
                max=self.total_steps,
                description=f"{name}:",
                layout=ipywidgets.Layout(width="50%"),
            )
            self._label = ipywidgets.Label(value=f"step 0/{self.total_steps}")
            self._bar = with_text_form(  # what a stored output shows if training is cut short
                ipywidgets.HBox([self._progress, self._label]),
                f"Training progress of the {name}; a summary line replaces it when done.",
            )
            self._bar_handle = show(self._bar, display_id=True)
            self._fig_handle = show(self._png(), display_id=True)

    def _png(self):
        """The current curve as a PNG image (independent of the matplotlib backend)."""
        from IPython.display import Image

        self._fig.clear()
        ax = self._fig.add_subplot()
        plot_loss_curves(
            {self.name: self.losses}, self.baseline_bits, total_steps=self.total_steps, ax=ax
        )
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


def _sample_view(model, vocab, prompt, temperature, seed, n, known_words):
    """The sampler's output: a caption (it changes with every control) and the text."""
    bad = sorted(set(prompt) - set(vocab.chars))
    if not prompt or bad:
        print(
            f"The prompt needs at least one character, all from the corpus; not in it: {bad!r}"
            if bad
            else "Type a prompt of at least one character."
        )
        return
    text = lm.sample_text(model, vocab, prompt, n, temperature, seed)
    stats = f"repeated 20-char windows {lm.repetition(text):.0%}"
    if known_words is not None:
        stats += f", real words {lm.real_word_fraction(text, known_words):.0%}"
    print(f"temperature {temperature:.2f}, seed {seed}: {stats}\n{'-' * 60}")
    print(prompt + text)


def sampler(
    model, vocab, prompt="The ", temperature=0.8, n=SAMPLER_CHARS, seed=0, known_words=None
):
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
            value=temperature,
            base=10,
            min=-1,
            max=np.log10(3),
            step=0.05,
            description="temperature",
            readout_format=".2f",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=ipywidgets.Layout(width="60%"),
        ),
        prompt=ipywidgets.Text(value=prompt, description="prompt", continuous_update=False),
        seed=ipywidgets.IntSlider(
            value=seed, min=0, max=20, description="seed", continuous_update=False
        ),
    )

    def view(temperature, prompt, seed):
        _sample_view(model, vocab, prompt, temperature, seed, n, known_words)

    w = ipywidgets.interactive(view, **controls)
    w.layout = ipywidgets.Layout(width="100%")
    return with_text_form(w, note="each update writes a new sample of the model's text")


# ------------------------------------------------------------------------ saliency


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
        raise ValueError(
            f"text must hold len(norms) + 1 = {len(norms) + 1} characters "
            f"(those read, then the predicted one), got {len(text)}"
        )
    colors = _level_colors()
    top = norms.max() if norms.size and norms.max() > 0 else 1.0
    levels = np.minimum((np.sqrt(norms / top) * SALIENCY_LEVELS).astype(int), SALIENCY_LEVELS - 1)
    parts = []
    for ch, lv in zip(text[:-1], levels, strict=True):
        shown = "\u21b5\n" if ch == "\n" else html.escape(ch)
        fg = "#ffffff" if lv >= SALIENCY_LEVELS // 2 else "#000000"
        parts.append(f'<span style="background-color:{colors[lv]};color:{fg}">{shown}</span>')
    target = "\u21b5" if text[-1] == "\n" else html.escape(text[-1])
    parts.append(f'<span style="outline:2px solid #D55E00">{target}</span>')
    head = f"<div><b>{html.escape(title)}</b></div>" if title else ""
    return (
        f'<div style="flex:1;min-width:280px">{head}<div style="font-family:monospace;'
        f'white-space:pre-wrap;line-height:1.5;font-size:13px">{"".join(parts)}</div></div>'
    )


def _legend_html():
    colors = _level_colors()
    cells = "".join(f'<span style="background-color:{c}">&nbsp;&nbsp;&nbsp;</span>' for c in colors)
    return (
        f'<div style="font-size:12px">weak {cells} strong influence '
        f"(&radic; of the gradient norm, relative to its largest value); "
        f'<span style="outline:2px solid #D55E00">boxed</span>: the character to predict'
        f"</div>"
    )


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
        the gradient mass more than ``lm.LAG_NEAR`` characters back), the coloured
        texts, a legend.
    """
    ids = vocab.encode(text)
    start = 0 if context is None else max(0, t + 1 - context)
    blocks, notes = [], []
    for name, model in models.items():
        norms = lm.saliency(model, ids, t)
        prof = lm.lag_profile(norms)
        p = lm.next_char_prob(model, ids, t)
        title = (
            f"{name}: p({text[t + 1]!r}) = {p:.2f}, "
            f"{prof['far_share']:.0%} of the mass > {lm.LAG_NEAR} back"
        )
        blocks.append(saliency_html(text[start : t + 2], norms[start:], title))
        notes.append(title)
    caption = (
        f"<div>Position {t}: after reading "
        f"<code>{html.escape(text[max(0, t - 11) : t + 1])!r}</code>, "
        f"predict <code>{html.escape(text[t + 1])!r}</code></div>"
    )
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
    slider = ipywidgets.IntSlider(
        value=last if t is None else t,
        min=1,
        max=last,
        description="position t",
        continuous_update=False,
        style={"description_width": "initial"},
        layout=ipywidgets.Layout(width="70%"),
    )

    def view(t):
        display(HTML(saliency_comparison_html(models, vocab, text, t, context)))

    w = ipywidgets.interactive(view, t=slider)
    w.layout = ipywidgets.Layout(width="100%")
    return with_text_form(
        w,
        note="it colours the text by each character's influence on the "
        "prediction at t, for both models",
    )


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
        with dotted lines at ``lm.LAG_NEAR`` and ``lm.LAG_FAR``.
    """
    fig, ax = plotting.figure_axes(ax)
    for name, prof in profiles.items():
        share = prof["profile"] if max_lag is None else prof["profile"][: max_lag + 1]
        ax.semilogy(
            np.arange(share.size),
            share,
            color=plotting.COLORS.get(name.lower()),
            label=f"{name}: {prof['far_share']:.0%} beyond lag {lm.LAG_NEAR}, "
            f"{prof['tail_share']:.1%} beyond lag {lm.LAG_FAR}",
        )
    for lag in (lm.LAG_NEAR, lm.LAG_FAR):
        ax.axvline(lag + 0.5, color=plotting.COLORS["bound"], ls=":", lw=1.5)
    ax.legend(loc="upper right")
    plotting.label(
        ax,
        "lag $k = t - s$ (characters back)",
        "mean share of saliency",
        "How far back does the next-character prediction look?",
    )
    return fig


# ------------------------------------------------------------------------- context


def plot_context_bits(ks, bits, full_bits=None, ngram_bits=None, zoom_from=16, ax=None):
    """How many characters back does each model use? Bits per character against ``k``.

    Parameters
    ----------
    ks : sequence of int
        The context lengths measured (characters the model may read), drawn on a
        log-2 axis.
    bits : dict of str -> sequence of float
        ``{"LSTM": [...], "RNN": [...]}``: bits per character at each ``k``, from
        :func:`rnnlib.lm.context_bits` (averaged over the same positions).
    full_bits : dict of str -> float, optional
        The same models with their whole past (a stateful read), drawn as a dotted
        line in the model's colour. With it, a second panel zooms in on the bits
        lost by the cut, ``bits - full_bits``, for ``k >= zoom_from``.
    ngram_bits : dict of int -> float, optional
        ``{n: bits}`` of n-gram models on the same positions, drawn as grey markers
        at ``k = n - 1`` (the characters an n-gram reads).
    zoom_from : int
        First ``k`` of the zoomed panel.
    ax : matplotlib.axes.Axes, or a pair of them with ``full_bits``, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    two = full_bits is not None
    fig, axes = plotting.figure_axes(ax, 1, 2 if two else 1, figsize=(11.0, 3.8) if two else None)
    axes = np.atleast_1d(axes)
    ks = np.asarray(ks)
    main = axes[0]
    for name, values in bits.items():
        color = plotting.COLORS.get(name.lower())
        main.plot(ks, values, "o-", color=color, label=f"{name}, last $k$ characters only")
        if two and name in full_bits:
            main.axhline(
                full_bits[name],
                color=color,
                ls=":",
                lw=1.5,
                label=f"{name}, whole past: {full_bits[name]:.2f}",
            )
    if ngram_bits:
        n = np.array(sorted(ngram_bits))
        main.plot(
            n - 1,
            [ngram_bits[m] for m in n],
            "s",
            color=plotting.COLORS["bound"],
            ms=7,
            label="n-gram (Witten-Bell), $k = n - 1$",
        )
        for m in n:
            main.annotate(
                f"{m}-gram",
                (m - 1, ngram_bits[m]),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                va="bottom",
                fontsize=9,
                color=plotting.COLORS["bound"],
            )
    main.set_xscale("log", base=2)
    main.margins(y=0.12)  # room above the highest marker for its label
    main.legend(loc="upper right")
    plotting.label(
        main,
        "context $k$ (characters the model may read)",
        "bits per character",
        "How far back does each model's prediction reach?",
    )
    if two:
        zoom = axes[1]
        keep = ks >= zoom_from
        for name, values in bits.items():
            if name in full_bits:
                lost = np.asarray(values, dtype=np.float64)[keep] - full_bits[name]
                zoom.plot(ks[keep], lost, "o-", color=plotting.COLORS.get(name.lower()), label=name)
        zoom.axhline(0.0, color=plotting.COLORS["bound"], lw=1)
        zoom.set_xscale("log", base=2)
        zoom.legend(loc="upper right")
        plotting.label(
            zoom,
            "context $k$ (characters the model may read)",
            "bits lost against the whole past",
            f"Zoom, $k \\geq {zoom_from}$: what the cut costs",
        )
    return fig
