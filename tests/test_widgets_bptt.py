"""rnnlib.widgets.bptt: notebook 03's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np

from rnnlib import widgets
from rnnlib.bptt import input_gradient_norms, scaled_orthogonal_rnn
from rnnlib.plotting.bptt import plot_gradient_contributions
from rnnlib.timing import best_time


def _bar_heights(fig):
    return np.array([p.get_height() for p in fig.axes[0].patches if p.get_width() < 1])


def test_builder_returns_interactive_with_the_expected_controls():
    w = widgets.gradient_contributions_explorer(T=12)
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    assert isinstance(w, ipywidgets.interactive)
    controls = {c.description: c for c in w.children[:-1]}
    assert set(controls) == {"step t", "scale of Wh", "log scale"}
    assert controls["step t"].max == 12 and controls["step t"].value == 9
    assert isinstance(controls["scale of Wh"], ipywidgets.FloatLogSlider)


def test_moving_each_control_changes_the_figure():
    w = widgets.gradient_contributions_explorer(T=12)
    controls = {c.description: c for c in w.children[:-1]}

    def state():
        w.update()
        fig = w.live.fig  # the figure the widget shows now
        assert plt.get_fignums() == []  # the widget leaves no figure to pyplot
        return (_bar_heights(fig), fig.axes[0].get_yscale())

    base = state()
    for name, value in (("step t", 12), ("scale of Wh", 0.5), ("log scale", False)):
        old = controls[name].value
        controls[name].value = value
        new = state()
        assert (
            len(new[0]) != len(base[0]) or not np.allclose(new[0], base[0]) or new[1] != base[1]
        ), f"moving {name!r} did not change the figure"
        controls[name].value = old


def test_widget_update_is_not_pathologically_slow_at_the_largest_settings():
    # guards 10x the 0.2 s target, which load cannot trip; speed is measured in benchmarks/
    w = widgets.gradient_contributions_explorer()  # T = 40, the largest default
    norms = input_gradient_norms(*scaled_orthogonal_rnn(2.0))
    assert best_time(plot_gradient_contributions, norms, 40, log=True, repeat=2) < 2.0
    assert best_time(plot_gradient_contributions, norms, 40, log=False, repeat=2) < 2.0
    # a full widget redraw: nearest precomputed scale, then the plot
    plt.close("all")
    assert best_time(w.update, repeat=2) < 2.0
    plt.close("all")
