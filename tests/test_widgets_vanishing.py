"""rnnlib.widgets.vanishing: notebook 04's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt

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
