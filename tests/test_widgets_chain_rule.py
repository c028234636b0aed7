"""rnnlib.widgets.chain_rule: notebook 02's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt

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
