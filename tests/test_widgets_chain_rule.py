"""Widgets and plots of notebook 02: the drawn product, controls that move the plot."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib import widgets
from rnnlib.chain_rule import tanh_chain
from rnnlib.timing import best_time
from rnnlib.widgets.chain_rule import _fd_depths


def _lines_data(fig):
    return [np.asarray(line.get_ydata(), dtype=float) for ax in fig.axes for line in ax.lines]


def test_fd_depths_are_spread_and_in_range():
    assert _fd_depths(1) == [1]
    d = _fd_depths(100)
    assert d[0] == 1 and d[-1] == 100 and len(d) == 5


def test_plot_chain_depth_draws_two_panels_and_changes_with_controls():
    fig = widgets.plot_chain_depth(n=20, w=0.5, h0=1.0)
    assert len(fig.axes) == 2
    a = _lines_data(fig)
    plt.close(fig)
    for kw in (
        {"n": 20, "w": 3.0, "h0": 1.0},
        {"n": 20, "w": 0.5, "h0": 1e-3},
        {"n": 35, "w": 0.5, "h0": 1.0},
    ):
        fig = widgets.plot_chain_depth(**kw)
        b = _lines_data(fig)
        plt.close(fig)
        assert len(a) != len(b) or any(
            x.shape != y.shape or not np.allclose(x, y) for x, y in zip(a, b, strict=True)
        ), f"moving to {kw} did not change the plot"


@pytest.mark.parametrize(
    "kw",
    [
        {"n": 100, "w": 4.0, "h0": 2.0},
        {"n": 100, "w": 0.1, "h0": 1e-6},
        {"n": 100, "w": 1.0, "h0": 1.0},
    ],
)
def test_plot_chain_depth_is_not_pathologically_slow_at_the_largest_settings(kw):
    # a guard 10x the 0.2 s target, which load cannot trip; speed is measured in benchmarks/
    assert best_time(widgets.plot_chain_depth, repeat=2, **kw) < 2.0


def test_plot_chain_depth_draws_the_chain_rule_product():
    fig = widgets.plot_chain_depth(n=20, w=0.5, h0=1.0)
    product = fig.axes[1].lines[1].get_ydata()
    assert np.allclose(product, np.abs(tanh_chain(1.0, 0.5, 20)[2]), rtol=1e-15, atol=0)
    plt.close(fig)


def test_chain_depth_explorer_has_the_expected_controls():
    w = widgets.chain_depth_explorer()
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    assert isinstance(w, ipywidgets.interactive)
    controls = [c for c in w.children if isinstance(c, ipywidgets.ValueWidget)]
    assert [c.description for c in controls] == ["depth n", "weight w", "start h\u2080"]
    n, wt, h0 = controls
    assert (n.max, wt.min, wt.max) == (100, 0.1, 4.0) and h0.value == 1.0
    assert isinstance(h0, ipywidgets.FloatLogSlider)
    plt.close("all")


def test_plot_step_size_errors_marks_each_minimum():
    h = np.logspace(-12, -1, 23)
    fwd, cen, c32 = 1e-3 * h + 1e-16 / h, h**2 + 1e-16 / h, h**2 + 1e-7 / h
    fig = widgets.plot_step_size_errors(h, fwd, cen, c32)
    stars = [ln for ln in fig.axes[0].lines if ln.get_marker() == "*"]
    assert len(stars) == 3
    assert stars[1].get_xdata()[0] == h[np.argmin(cen)]
    plt.close(fig)
