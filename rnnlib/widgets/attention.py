"""Widget for notebook 09: :func:`alignment_explorer`, attention weights of any example.

A slider over test examples and a text box for a date the learner types, over
:func:`rnnlib.plotting.attention.plot_example`.
"""

from __future__ import annotations

from rnnlib.plotting.attention import plot_example

from ._core import interactive_plot

__all__ = ["alignment_explorer"]


def alignment_explorer(model, vocab, sources, targets):
    """A slider over the test examples and a text box for a date of your own.

    Shows the attention weights and the greedy output of ``model`` (which must use
    attention). Type a date in one of the task's formats (e.g. ``Mar 14, 1992``) and
    press Enter; clear the box to go back to the slider.

    Parameters
    ----------
    model : rnnlib.seq2seq.Seq2Seq
    vocab : rnnlib.dates.DateVocab
    sources, targets : list of str
        Test examples.

    Returns
    -------
    ipywidgets.interactive
    """
    import ipywidgets as W

    if model.attention is None:
        raise ValueError("model must use attention (its weights are what is shown)")
    return interactive_plot(
        lambda index, typed: plot_example(model, vocab, sources, targets, index, typed),
        index=W.IntSlider(
            value=0,
            min=0,
            max=len(sources) - 1,
            description="test example",
            continuous_update=False,
            style={"description_width": "initial"},
        ),
        typed=W.Text(
            value="",
            description="or type a date",
            continuous_update=False,
            placeholder="e.g. Mar 14, 1992",
            style={"description_width": "initial"},
        ),
    )
