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
