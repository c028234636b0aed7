"""Widget for notebook 09: :func:`alignment_explorer`, attention weights of any example.

A slider over test examples and a text box for a date the learner types, over
:func:`rnnlib.plotting.attention.plot_example`. A move updates the figure in place
(:func:`rnnlib.plotting.attention.update_example`): one figure, as wide as the longest
test source, and each source decoded once.
"""

from __future__ import annotations

from rnnlib.plotting.attention import plot_example, update_example

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
    # fixed for the widget's life: one figure wide enough for every test source, and a
    # memo of the sources decoded so far (a slider move back decodes nothing)
    fixed = dict(columns=max(len(s) for s in sources), decoded={})

    def plot(index, typed):
        return plot_example(model, vocab, sources, targets, index, typed, **fixed)

    def update(fig, index, typed):
        return update_example(fig, model, vocab, sources, targets, index, typed, **fixed)

    return interactive_plot(
        plot,
        update=update,
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
