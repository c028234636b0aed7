"""rnnlib.plotting.text: coloured characters and sample tables as HTML."""

import re

import numpy as np
import pytest

from rnnlib.plotting import OKABE_ITO
from rnnlib.plotting.text import (
    LEVELS,
    activation_html,
    contrast_ratio,
    samples_table_html,
    text_color,
)


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


# ------------------------------------------------------------- contrast (WCAG 2.1 AA)

SPAN = re.compile(r"background-color:(#[0-9a-fA-F]{6});color:(#[0-9a-fA-F]{6})")


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # AA's grey
    assert text_color("#0072B2") == "#ffffff" and text_color("#D55E00") == "#000000"
    with pytest.raises(ValueError, match="colour must be '#rrggbb'"):
        contrast_ratio("blue", "#ffffff")


def test_every_shade_of_the_activation_scale_has_legible_text():
    values = np.arange(-LEVELS, LEVELS + 1) / LEVELS  # one character per shade
    out = activation_html("x" * values.size, values)
    pairs = SPAN.findall(out)
    assert len({bg.lower() for bg, _ in pairs}) == 2 * LEVELS + 1  # every shade (and legend)
    ratios = {bg: contrast_ratio(fg, bg) for bg, fg in pairs}
    assert min(ratios.values()) >= 4.5, ratios


def test_every_level_of_the_saliency_scale_has_legible_text():
    from rnnlib.plotting.charlm import SALIENCY_LEVELS, saliency_html

    norms = (np.arange(SALIENCY_LEVELS) / (SALIENCY_LEVELS - 1)) ** 2  # each level once
    out = saliency_html("x" * (SALIENCY_LEVELS + 1), norms)
    pairs = SPAN.findall(out)
    assert len({bg for bg, _ in pairs}) == SALIENCY_LEVELS
    ratios = {bg: contrast_ratio(fg, bg) for bg, fg in pairs}
    assert min(ratios.values()) >= 4.5, ratios
