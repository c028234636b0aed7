"""rnnlib.widgets.recurrence: notebook 01's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from widget_checks import shows_a_full_draw

from rnnlib import widgets


def test_explorer_controls():
    w = widgets.hidden_state_explorer()
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    assert isinstance(w, ipywidgets.interactive)
    t = [c for c in w.children if isinstance(c, ipywidgets.IntSlider)]
    r = [c for c in w.children if isinstance(c, ipywidgets.FloatSlider)]
    assert len(t) == 1 and (t[0].min, t[0].max, t[0].value) == (1, 40, 12)
    assert len(r) == 1 and (r[0].min, r[0].max, r[0].value) == (0.0, 1.5, 0.9)
    plt.close("all")


def test_moving_a_slider_updates_the_same_figure_in_place():
    from rnnlib.plotting import description
    from rnnlib.plotting.recurrence import plot_hidden_state_step

    plt.close("all")
    w = widgets.hidden_state_explorer()
    live = w.live
    fig = live.fig
    t, radius = w.children[:2]
    image = fig.axes[1].images[0]
    before = np.array(image.get_array())
    t.value = 20
    radius.value = 1.2
    assert live.fig is fig and plt.get_fignums() == []  # same figure, none left to pyplot
    assert not np.array_equal(np.array(image.get_array()), before, equal_nan=True)
    assert live.draws["new"] == 0 and live.draws["blit"] >= 1  # only the changed artists drawn
    fresh = plot_hidden_state_step(t=20, radius=1.2)  # what the plot function draws there
    np.testing.assert_allclose(image.get_array(), fresh.axes[1].images[0].get_array())
    for ax, ref in zip(fig.axes[:3], fresh.axes[:3], strict=True):
        assert ax.get_title() == ref.get_title() and ax.get_ylim() == ref.get_ylim()
        for line, ref_line in zip(ax.lines, ref.lines, strict=True):
            np.testing.assert_allclose(line.get_xydata(), ref_line.get_xydata())
    for coll, ref_coll in zip(fig.axes[2].collections, fresh.axes[2].collections, strict=True):
        np.testing.assert_allclose(coll.get_segments(), ref_coll.get_segments())
    assert description(fig) == description(fresh)
    assert len(fig.axes) == 4  # the colour bar was not added again
    plt.close("all")


def test_moving_t_blits_and_draws_what_a_full_draw_draws(course_style):
    plt.close("all")
    w = widgets.hidden_state_explorer()
    live = w.live
    t, radius = w.children[:2]
    full = live.draws["full"]  # the builder prepared the background: moves of t blit
    for value in (13, 14, 40, 1):
        t.value = value
        assert shows_a_full_draw(live)
    assert live.draws["full"] == full and live.draws["blit"] == 4
    ylim = w.live.fig.axes[2].get_ylim()
    assert ylim[1] == pytest.approx(-1.35 * ylim[0])  # the same range at every step
    radius.value = 0.0
    t.value = 20
    assert shows_a_full_draw(live)
    plt.close("all")
