"""Widget for notebook 06: :func:`adding_problem_explorer`.

It steps through test sequences of the adding problem and shows what both trained
models predict, over :func:`rnnlib.plotting.memory.plot_adding_frame` (the
predictions come from :func:`rnnlib.memory.example_predictions`, computed once). A move
of the example slider updates the figure in place
(:func:`rnnlib.plotting.memory.update_adding_frame`) and draws only what changed; a
move of the lag redraws the same figure.
"""

from __future__ import annotations

from rnnlib.plotting.memory import plot_adding_frame, update_adding_frame

from ._core import interactive_plot

__all__ = ["adding_problem_explorer"]


def adding_problem_explorer(frames, example=0):
    """Step through test sequences: the trained RNN's and LSTM's predictions, and the memory.

    Parameters
    ----------
    frames : dict
        From :func:`rnnlib.memory.example_predictions` (computed once; a slider move
        only updates the figure).
    example : int
        The test sequence shown first.

    Returns
    -------
    ipywidgets.interactive
        Controls ``example`` (the test sequence) and ``lag`` (a selection slider over
        the trained lags, the largest selected first), then the output.
    """
    import ipywidgets as W

    lags = sorted(frames)
    n = len(frames[lags[0]]["y"])
    style = {"description_width": "initial"}
    return interactive_plot(
        plot_adding_frame,
        update=update_adding_frame,
        frames=W.fixed(frames),
        example=W.IntSlider(
            value=int(example),
            min=0,
            max=n - 1,
            description="test sequence",
            continuous_update=False,
            style=style,
            layout=W.Layout(width="420px"),
        ),
        lag=W.SelectionSlider(
            options=lags, value=lags[-1], description="lag T", continuous_update=False, style=style
        ),
    )
