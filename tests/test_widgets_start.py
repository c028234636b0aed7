"""rnnlib.widgets.start: notebook 00's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np

from rnnlib import widgets


def test_first_slider_is_one_weight_slider():
    w = widgets.first_slider()
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    assert isinstance(w, ipywidgets.interactive)
    controls = [c for c in w.children if isinstance(c, ipywidgets.FloatSlider)]
    assert len(controls) == 1
    slider = controls[0]
    assert (slider.min, slider.max, slider.value) == (-1.5, 1.5, 0.5)
    plt.close("all")


def test_moving_the_slider_updates_the_same_figure_in_place():
    w = widgets.first_slider()
    live, slider = w.live, w.children[0]
    fig = live.fig
    (line,) = [a for a in fig.axes[0].lines if a.get_gid() == "h"]
    before, png = line.get_ydata().copy(), live.image.value
    slider.value = 1.0
    assert live.fig is fig and plt.get_fignums() == []  # no new figure, none left to pyplot
    assert not np.allclose(line.get_ydata(), before)  # the artist's data moved
    assert "w = 1.00" in fig.axes[0].get_title()
    assert live.image.value != png and live.image.value[:4] == b"\x89PNG"
    slider.value = 0.25
    assert live.draws["new"] == 0 and live.draws["blit"] >= 1  # only the changed artists drawn
