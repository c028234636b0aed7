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


def _assert_same_figure(fig, ref):
    """What a reader sees and reads: data, markers, titles, limits, legend, description."""
    from rnnlib.plotting import description

    assert len(fig.axes) == len(ref.axes)
    for ax, r in zip(fig.axes, ref.axes, strict=True):
        assert ax.get_title() == r.get_title()
        assert ax.get_xlim() == r.get_xlim() and ax.get_ylim() == r.get_ylim()
        assert len(ax.lines) == len(r.lines)
        for line, r_line in zip(ax.lines, r.lines, strict=True):
            np.testing.assert_array_equal(line.get_xydata(), r_line.get_xydata())
            for prop in ("marker", "color", "markerfacecolor", "markersize", "linestyle"):
                assert plt.getp(line, prop) == plt.getp(r_line, prop), prop
        assert [p.get_bbox().bounds for p in ax.patches] == [p.get_bbox().bounds for p in r.patches]
        legend = [t.get_text() for t in ax.legend_.get_texts()] if ax.legend_ else None
        assert legend == ([t.get_text() for t in r.legend_.get_texts()] if r.legend_ else None)
    assert description(fig) == description(ref)


# One move at a time, from (30, 0.5, 1): depth within its tens, across a ten, below 5
# (fewer markers); w within a whole number, across one, to where markers go blind; h0.
MOVES = [
    {"n": 31},
    {"n": 39},
    {"n": 40},
    {"n": 41},
    {"n": 3},
    {"n": 7},
    {"n": 30, "w": 0.9},
    {"w": 1.1},
    {"w": 1.3},
    {"w": 1.6},
    {"w": 4.0},
    {"w": 2.0, "h0": 1e-5, "n": 40},
    {"h0": 2e-5},
    {"w": 0.5, "h0": 1.0},
]


def test_update_chain_depth_gives_the_figure_a_fresh_draw_gives():
    from rnnlib.plotting.chain_rule import update_chain_depth

    kw = {"n": 30, "w": 0.5, "h0": 1.0}
    fig = plot_chain_depth(**kw)
    blits = 0
    for move in MOVES:
        kw.update(move)
        changed = update_chain_depth(fig, **kw)
        blits += changed is not None
        ref = plot_chain_depth(**kw)
        _assert_same_figure(fig, ref)
        plt.close(ref)
    assert blits >= 3  # moves within the axes and the legend change only the data
    plt.close("all")


def test_update_chain_depth_returns_none_when_an_axis_changes_and_new_markers_in_the_list():
    from rnnlib.plotting.chain_rule import update_chain_depth

    fig = plot_chain_depth(n=30, w=0.5, h0=1.0)
    ax_loc, ax_prod = fig.axes
    changed = update_chain_depth(fig, n=31, w=0.5, h0=1.0)  # 31: the depth axes grow to 41
    assert changed is None and ax_loc.get_xlim() == ax_prod.get_xlim() == (0, 41)
    changed = update_chain_depth(fig, n=35, w=0.9, h0=0.5)  # same axes, same legend
    assert changed is not None
    assert ax_prod.yaxis in changed and ax_prod.legend_ in changed and ax_loc.lines[1] in changed
    assert ax_loc.get_ylim() == (0, 1.5)
    assert update_chain_depth(fig, n=35, w=1.1, h0=0.5) is None  # the left top: 1.5 -> 2.2
    assert ax_loc.get_ylim()[1] == pytest.approx(2.2)
    (span,) = ax_loc.patches
    assert span.get_bbox().y1 == pytest.approx(2.2)  # "amplifies" still reaches the top
    old_legend, old_markers = ax_prod.legend_, ax_prod.lines[2:]
    changed = update_chain_depth(fig, n=39, w=1.3, h0=1.0)  # a first cross: a new legend
    assert ax_prod.legend_ is not old_legend and old_legend.figure is None
    assert "too small for finite diff." in [t.get_text() for t in ax_prod.legend_.get_texts()]
    assert all(m.figure is None for m in old_markers)  # gone, so no widget draws them again
    assert ax_prod.legend_ in changed and all(m in changed for m in ax_prod.lines[2:])
    plt.close(fig)


def test_plot_chain_depth_axes_depend_on_the_depth_in_tens_and_on_w_alone():
    # the static figures of notebook 02 keep their axes: (0, 31) and (0, 41), tops 1.5 and 2.2
    for (n, w, h0), (xmax, top) in {
        (30, 0.5, 1.0): (31, 1.5),
        (40, 2.0, 1e-5): (41, 2.2),
        (31, 0.5, 1e-3): (41, 1.5),
        (1, 3.3, 1.0): (11, 4.4),
    }.items():
        fig = plot_chain_depth(n=n, w=w, h0=h0)
        assert [ax.get_xlim() for ax in fig.axes] == [(0, xmax)] * 2
        assert fig.axes[0].get_ylim()[1] == pytest.approx(top)
        _, local, _ = tanh_chain(h0, w, n)
        assert np.abs(local).max() < fig.axes[0].get_ylim()[1]  # every point shows
        plt.close(fig)
