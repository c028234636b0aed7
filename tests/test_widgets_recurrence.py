"""rnnlib.widgets.recurrence: notebook 01's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt

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
