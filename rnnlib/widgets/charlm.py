"""Widgets for notebook 07: watch the character model train, sample it, explain it.

* :class:`LiveTraining`: a progress bar and a loss curve redrawn *during*
  ``model.train`` (with :func:`rnnlib.plotting.charlm.plot_loss_curves`);
* :func:`sampler`: temperature slider, prompt box and seed over
  :func:`rnnlib.lm.sample_text` (the function the notebook's own cells sample with;
  it writes the 250 characters of an update in about 25 ms);
* :func:`saliency_explorer`: a position slider over
  :func:`rnnlib.plotting.charlm.saliency_comparison_html`'s HTML, from one forward
  pass per model when built and one backward pass per new pair of positions (about
  20 ms per model for the notebook's 380 characters), each result kept.
"""

from __future__ import annotations

import html
import io
import time

import numpy as np
from matplotlib.figure import Figure

from rnnlib import lm
from rnnlib.plotting import description
from rnnlib.plotting.charlm import plot_loss_curves, saliency_comparison_html

from ._core import with_text_form

__all__ = ["SAMPLER_CHARS", "LiveTraining", "saliency_explorer", "sampler"]


#: characters the sampler widget writes per update (about 25 ms for the shipped LSTM)
SAMPLER_CHARS = 250


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
        top = max([8.0] + [x / lm.LN2 for x in self.losses[:1]])
        ax.set_ylim(0, top)
        buffer = io.BytesIO()
        self._fig.savefig(buffer, format="png")
        # the figure's text description as the image's alt text, as rnnlib.setup() does
        # for figures shown by the inline backend
        return Image(data=buffer.getvalue(), format="png", alt=description(self._fig))

    def _status(self):
        step = len(self.losses)
        seconds = time.perf_counter() - self._start
        msg = f"{self.name}: step {step}/{self.total_steps}"
        if self.losses:
            msg += f", loss {self.losses[-1] / lm.LN2:.2f} bits/char"
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


def saliency_explorer(models, vocab, text, t=None, context=120):
    """Widget: choose the position to explain; see RNN and LSTM saliency side by side.

    Parameters
    ----------
    models : dict of str -> SequenceModel
    vocab : rnnlib.data.CharVocab
    text : str
        At most a few hundred characters: building the widget runs one forward pass
        per model over ``text``; a move to a position not seen yet runs one backward
        pass per model over ``text[0..t]`` (for ``t`` and its neighbour, see
        ``lm.TextSaliency``), a move to one seen before only builds the HTML.
    t : int, optional
        Initial position; default the last one.
    context : int
        Characters shown before the prediction.

    Returns
    -------
    ipywidgets.interactive
        Control: ``t`` (IntSlider over the positions of ``text``). Its attribute
        ``html_at(t)`` is the update: the HTML shown for position ``t``, the same as
        ``saliency_comparison_html(models, vocab, text, t, context)``; ``explained``
        holds the ``lm.TextSaliency`` of each model (with the positions computed).
    """
    import ipywidgets
    from IPython.display import HTML, display

    ids = vocab.encode(text)
    explained = {name: lm.TextSaliency(model, ids) for name, model in models.items()}

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

    def html_at(t):
        return saliency_comparison_html(models, vocab, text, t, context, explained=explained)

    def view(t):
        display(HTML(html_at(t)))

    w = ipywidgets.interactive(view, t=slider)
    w.layout = ipywidgets.Layout(width="100%")
    w.html_at, w.explained = html_at, explained
    return with_text_form(
        w,
        note="it colours the text by each character's influence on the "
        "prediction at t, for both models",
    )
