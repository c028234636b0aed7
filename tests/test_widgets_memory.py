"""rnnlib.widgets.memory: notebook 06's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np

from rnnlib import data, memory, models, widgets
from rnnlib.widgets import memory as wm


def _frames(lags=(5, 20), n_examples=6, N=30):
    test_sets, trained = {}, {}
    for T in lags:
        test_sets[T] = data.adding_problem(
            N, T, np.random.default_rng(T), first_within=data.first_marker_window(T)
        )
        trained[T] = {
            cell: models.SequenceModel(2, H, 1, cell=cell, seed=T)
            for cell, H in (("rnn", 9), ("lstm", 4))
        }
    return memory.example_predictions(test_sets, trained, n_examples=n_examples)


def test_adding_problem_explorer_has_the_expected_controls():
    frames = _frames()
    w = widgets.adding_problem_explorer(frames)
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    assert isinstance(w, ipywidgets.interactive)
    controls = [c for c in w.children if isinstance(c, ipywidgets.ValueWidget)]
    assert [c.description for c in controls] == ["test sequence", "lag T"]
    example, lag = controls
    assert isinstance(lag, ipywidgets.SelectionSlider) and list(lag.options) == [5, 20]
    assert lag.value == 20 and (example.min, example.max) == (0, 5)
    assert not lag.continuous_update and not example.continuous_update
    plt.close("all")


def test_module_exports_exist():
    for name in wm.__all__:
        assert hasattr(widgets, name), name


def test_moving_a_slider_updates_the_same_figure_in_place():
    from test_plotting_memory import frame_state

    from rnnlib.plotting.memory import plot_adding_frame

    plt.close("all")
    frames = _frames()
    w = widgets.adding_problem_explorer(frames)
    live = w.live
    fig = live.fig
    example, lag = w.children[:2]
    example.value = 3  # the same lag: only the changed artists are drawn
    example.value = 4
    assert live.fig is fig and plt.get_fignums() == []  # same figure, none left to pyplot
    assert live.draws == {"full": 2, "blit": 1, "new": 0}  # the first move sets the background
    fresh = plot_adding_frame(frames, lag=20, example=4)
    assert frame_state(fig) == frame_state(fresh)
    lag.value = 5  # another lag: other artists change (its axes too): a new background
    lag.value = 20
    assert live.fig is fig and live.draws == {"full": 3, "blit": 2, "new": 0}
    assert frame_state(fig) == frame_state(plot_adding_frame(frames, lag=20, example=4))
    plt.close("all")
