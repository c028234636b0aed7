"""rnnlib.plotting.chain_rule: notebook 02's figures draw what they are given, fast."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib.chain_rule import tanh_chain
from rnnlib.plotting.chain_rule import _fd_depths, plot_chain_depth, plot_step_size_errors
from rnnlib.timing import best_time


def _lines_data(fig):
    return [np.asarray(line.get_ydata(), dtype=float) for ax in fig.axes for line in ax.lines]


def test_fd_depths_are_spread_and_in_range():
    assert _fd_depths(1) == [1]
    d = _fd_depths(100)
    assert d[0] == 1 and d[-1] == 100 and len(d) == 5


def test_plot_chain_depth_draws_two_panels_and_changes_with_controls():
    fig = plot_chain_depth(n=20, w=0.5, h0=1.0)
    assert len(fig.axes) == 2
    a = _lines_data(fig)
    plt.close(fig)
    for kw in (
        {"n": 20, "w": 3.0, "h0": 1.0},
        {"n": 20, "w": 0.5, "h0": 1e-3},
        {"n": 35, "w": 0.5, "h0": 1.0},
    ):
        fig = plot_chain_depth(**kw)
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
    assert best_time(plot_chain_depth, repeat=2, **kw) < 2.0


def test_plot_chain_depth_draws_the_chain_rule_product():
    fig = plot_chain_depth(n=20, w=0.5, h0=1.0)
    product = fig.axes[1].lines[1].get_ydata()
    assert np.allclose(product, np.abs(tanh_chain(1.0, 0.5, 20)[2]), rtol=1e-15, atol=0)
    plt.close(fig)


def test_plot_step_size_errors_marks_each_minimum():
    h = np.logspace(-12, -1, 23)
    fwd, cen, c32 = 1e-3 * h + 1e-16 / h, h**2 + 1e-16 / h, h**2 + 1e-7 / h
    fig = plot_step_size_errors(h, fwd, cen, c32)
    stars = [ln for ln in fig.axes[0].lines if ln.get_marker() == "*"]
    assert len(stars) == 3
    assert stars[1].get_xdata()[0] == h[np.argmin(cen)]
    plt.close(fig)


def test_plot_chain_depth_describes_its_data_in_numbers():
    from rnnlib.plotting import description, fmt

    fig = plot_chain_depth(n=20, w=0.5, h0=1.0)
    _, local, grad = tanh_chain(1.0, 0.5, 20)
    text = description(fig)
    assert text.startswith("Two panels for a chain of depth 20 with w = 0.5 and h_0 = 1.")
    assert f"goes from 1 to {fmt(abs(grad[-1]))} at depth 20" in text
    assert f"bound |w|^20 = {fmt(0.5**20)}" in text
    assert f"between {fmt(np.abs(local).min())} and {fmt(np.abs(local).max())}" in text
    assert "above 1 at 0 of 20 steps" in text
    assert "Figure with 2 panels" in text  # the generic part follows the lead
    plt.close(fig)


def test_plot_step_size_errors_describes_each_minimum():
    from rnnlib.plotting import description, fmt

    h = np.logspace(-12, -1, 23)
    fwd, cen, c32 = 1e-3 * h + 1e-16 / h, h**2 + 1e-16 / h, h**2 + 1e-7 / h
    text = description(plot_step_size_errors(h, fwd, cen, c32))
    i = int(np.argmin(cen))
    assert "step size h from 1e-12 to 0.1" in text
    assert f"{fmt(cen[i])} at h = {fmt(h[i])} for central, float64" in text
    plt.close("all")
