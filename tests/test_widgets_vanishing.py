"""rnnlib.widgets.vanishing: notebook 04's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
from widget_checks import shows_a_full_draw

from rnnlib import widgets
from rnnlib.plotting.vanishing import EXPLORER_DEFAULTS


def test_gradient_explorer_has_the_expected_controls():
    w = widgets.gradient_explorer()
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    assert isinstance(w, ipywidgets.interactive)
    controls = {c._kwarg: c for c in w.kwargs_widgets}
    assert list(controls) == ["radius", "activation", "T", "input_scale", "kind", "H", "seed"]
    radius = controls["radius"]
    assert isinstance(radius, ipywidgets.FloatLogSlider)
    assert (radius.min, radius.max, radius.base) == (-1, 2, 2)  # 0.5 .. 4
    assert radius.value == EXPLORER_DEFAULTS["radius"]
    assert list(controls["activation"].options) == ["tanh", "sigmoid", "linear", "relu"]
    assert (controls["T"].min, controls["T"].max) == (10, 200)
    assert (controls["input_scale"].min, controls["input_scale"].max) == (0.0, 3.0)
    plt.close("all")


# ------------------------------------------------------------------ static figures


def test_gradient_explorer_updates_its_figure_in_place():
    from rnnlib.plotting import description
    from rnnlib.plotting.vanishing import plot_gradient_explorer

    plt.close("all")
    w = widgets.gradient_explorer()
    live = w.live
    fig = live.fig
    controls = {c._kwarg: c for c in w.kwargs_widgets}
    moves = [("seed", 1), ("seed", 2), ("radius", 2.0), ("T", 50), ("activation", "relu")]
    for name, value in moves + [("input_scale", 0.0), ("kind", "gaussian"), ("H", 8)]:
        controls[name].value = value
        assert live.fig is fig and plt.get_fignums() == []  # same figure, none left to pyplot
        fresh = plot_gradient_explorer(**w.kwargs)
        ax, ref = fig.axes[0], fresh.axes[0]
        assert ax.get_title() == ref.get_title()
        assert ax.get_xlim() == ref.get_xlim() and ax.get_ylim() == ref.get_ylim()
        for line, ref_line in zip(ax.lines, ref.lines, strict=True):
            np.testing.assert_allclose(line.get_xydata(), ref_line.get_xydata())
        assert description(fig) == description(fresh)
        plt.close(fresh)
    assert live.draws["new"] == 0 and live.draws["blit"] >= 1  # moves that keep the axes blit


def test_moves_that_keep_the_axes_draw_what_a_full_draw_draws(course_style):
    plt.close("all")
    w = widgets.gradient_explorer()
    live = w.live
    controls = {c._kwarg: c for c in w.kwargs_widgets}
    full = live.draws["full"]  # the builder prepared the background: the first move blits
    for name, value in (("seed", 1), ("seed", 2), ("T", 50), ("seed", 3)):
        controls[name].value = value
        assert shows_a_full_draw(live), (name, value)
    assert live.draws["full"] == full + 1  # T changed the x axis; the seeds blit
    plt.close("all")
