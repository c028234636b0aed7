"""rnnlib.plotting.text: coloured characters and sample tables as HTML."""

import numpy as np
import pytest

from rnnlib.plotting import OKABE_ITO
from rnnlib.plotting.text import LEVELS, activation_html, samples_table_html


def test_activation_html_colours_by_sign_and_size():
    out = activation_html('a<"\n', np.array([1.0, -1.0, 0.0, 0.5]), title="unit 3")
    assert f"background-color:{OKABE_ITO[1].lower()}" in out.lower()  # +1: vermillion
    assert f"background-color:{OKABE_ITO[0].lower()}" in out.lower()  # -1: blue
    assert "background-color:#ffffff" in out  # 0: white
    assert "&lt;" in out and "&quot;" in out and "\u21b5" in out  # escaped, newline shown
    assert "<b>unit 3</b>" in out
    # rounding to levels: values a hair apart give the same HTML
    assert activation_html("ab", np.array([0.3, 1.0])) == activation_html(
        "ab", np.array([0.3 + 1e-9, 1.0])
    )
    assert LEVELS >= 3


def test_activation_html_bad_input():
    with pytest.raises(ValueError, match=r"values must have shape \(L,\) = \(3,\)"):
        activation_html("abc", np.zeros(2))
    with pytest.raises(FloatingPointError):
        activation_html("ab", np.array([0.0, np.inf]))


def test_samples_table_html():
    out = samples_table_html([(0, 6.5, "x<y"), (1250, 1.6049, "a\nb")])
    assert out.count("<tr>") == 3 and "1,250" in out and "1.60" in out
    assert "x&lt;y" in out and "a\u21b5 b" in out
