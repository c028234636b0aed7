"""rnnlib.widgets.gru: notebook 08's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np

from rnnlib import widgets
from rnnlib.plotting import description
from rnnlib.plotting.gru import plot_update_gate, update_update_gate


def test_slider_moves_the_plot():
    w = widgets.update_gate_explorer()
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    slider = w.children[0]
    assert isinstance(slider, ipywidgets.FloatSlider) and slider.value == 1.0
    slider.value = 3.0  # the interactive callback redraws without error
    plt.close("all")


def _same_as_plotted(fig, fresh):
    for ax, ref in zip(fig.axes, fresh.axes, strict=True):
        assert ax.get_title() == ref.get_title() and ax.get_ylim() == ref.get_ylim()
        lines = [(ln.get_label(), ln.get_xydata()) for ln in ax.lines if ln.get_xydata().size]
        ref_lines = [(ln.get_label(), ln.get_xydata()) for ln in ref.lines if ln.get_xydata().size]
        assert [name for name, _ in lines] == [name for name, _ in ref_lines]
        for (_, xy), (_, ref_xy) in zip(lines, ref_lines, strict=True):
            np.testing.assert_allclose(xy, ref_xy)
        legend, ref_legend = ax.get_legend(), ref.get_legend()
        assert [t.get_text() for t in legend.get_texts()] == [
            t.get_text() for t in ref_legend.get_texts()
        ]
    assert description(fig) == description(fresh)


def test_the_slider_updates_the_same_figure_in_place():
    plt.close("all")
    w = widgets.update_gate_explorer()
    live, slider = w.live, w.children[0]
    fig = live.fig
    for b_z in (2.0, 2.5, 4.5, 5.0, 3.0, -2.0):  # 4.5 and 5: the half-life leaves the axis
        slider.value = b_z
        assert live.fig is fig and plt.get_fignums() == []
        fresh = plot_update_gate(b_z)
        _same_as_plotted(fig, fresh)
        plt.close(fresh)
    assert live.draws["new"] == 0 and live.draws["blit"] >= 3


def test_update_adds_the_half_life_line_to_a_figure_drawn_without_it():
    fig = plot_update_gate(5.0)  # half-life 103 steps: off the axis, no line
    assert update_update_gate(fig, 2.0) is None  # the legend changed: draw it all again
    _same_as_plotted(fig, plot_update_gate(2.0))
    assert update_update_gate(fig, 2.5) is not None
    plt.close("all")
