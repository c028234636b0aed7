"""rnnlib.widgets.start: notebook 00's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt

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
