"""rnnlib.widgets.gru: notebook 08's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt

from rnnlib import widgets


def test_slider_moves_the_plot():
    w = widgets.update_gate_explorer()
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    slider = w.children[0]
    assert isinstance(slider, ipywidgets.FloatSlider) and slider.value == 1.0
    slider.value = 3.0  # the interactive callback redraws without error
    plt.close("all")
