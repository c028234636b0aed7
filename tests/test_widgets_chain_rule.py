"""rnnlib.widgets.chain_rule: notebook 02's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt
from widget_checks import shows_a_full_draw

from rnnlib import widgets


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


def test_moving_a_slider_updates_the_same_figure_in_place():
    import numpy as np

    from rnnlib.plotting import description
    from rnnlib.plotting.chain_rule import plot_chain_depth

    plt.close("all")
    w = widgets.chain_depth_explorer()
    live = w.live
    fig = live.fig
    n, wt, h0 = w.children[:3]
    for control, values in ((n, (31, 32, 33)), (wt, (0.6, 0.7, 0.8)), (h0, (0.5, 0.25, 0.1))):
        for value in values:  # arrow-key steps: within the axes, so mostly blits
            control.value = value
    assert live.fig is fig and plt.get_fignums() == []  # same figure, none left to pyplot
    assert live.draws["new"] == 0 and live.draws["blit"] >= 5  # only the changed artists drawn
    fresh = plot_chain_depth(n=33, w=0.8, h0=0.1)  # what the plot function draws there
    for ax, ref in zip(fig.axes, fresh.axes, strict=True):
        assert ax.get_title() == ref.get_title()
        assert ax.get_xlim() == ref.get_xlim() and ax.get_ylim() == ref.get_ylim()
        for line, ref_line in zip(ax.lines, ref.lines, strict=True):
            np.testing.assert_array_equal(line.get_xydata(), ref_line.get_xydata())
    assert description(fig) == description(fresh)
    plt.close("all")


def test_what_the_widget_shows_is_what_a_full_draw_shows():
    # After moves that blit, a move that changes an axis (n across a ten, |w| across a
    # whole number), one that adds a kind of marker to the legend (w = 1.3 at n = 39), and
    # one that changes the number of markers (n = 4): z-order and all, pixel for pixel.
    for moves in (
        [("n", 29)],
        [("n", 29), ("n", 31)],
        [("n", 39), ("w", 0.6), ("w", 0.7), ("w", 1.2)],
        [("n", 39), ("w", 1.1), ("w", 1.2), ("w", 1.3)],
        [("h0", 0.5), ("n", 4)],
        [("h0", 0.5), ("h0", 0.2), ("h0", 0.1)],
    ):
        w = widgets.chain_depth_explorer()
        controls = dict(zip(("n", "w", "h0"), w.children[:3], strict=True))
        for name, value in [("h0", 0.9), ("h0", 0.8), *moves]:  # first a blit
            controls[name].value = value
        assert w.live.draws["blit"] >= 1 and shows_a_full_draw(w.live), moves
        plt.close("all")
