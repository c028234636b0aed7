"""rnnlib.plotting: figures carry a text description, and a kernel stores it as alt text."""

import types

import matplotlib.pyplot as plt
import numpy as np
import pytest
from IPython.core.events import EventManager, available_events
from IPython.core.formatters import DisplayFormatter
from IPython.core.pylabtools import print_figure, select_figure_formats

from rnnlib import plotting
from rnnlib.plotting import auto_description, describe, description, fmt, register_alt_text


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.012345, "0.012"),
        (1.23e-12, "1.2e-12"),
        (3.04e12, "3e12"),
        (40.0, "40"),
        (-3, "-3"),
        (12345.6, "12000"),
        (0.5, "0.5"),
        (0.999, "1"),
        (float("nan"), "nan"),
        (float("-inf"), "-inf"),
    ],
)
def test_fmt_gives_two_significant_digits(value, text):
    assert fmt(value) == text


def test_auto_description_states_lines_in_numbers():
    fig, ax = plt.subplots()
    lag = np.arange(1, 41)
    ax.plot(lag, 0.5**lag, label="tanh $h_t$")
    ax.axhline(1e-3, color="k")
    ax.set_yscale("log")
    plotting.label(ax, "lag", "gradient norm", "Does it vanish?")
    text = auto_description(fig)
    assert text.startswith("Figure with 1 panel:")
    assert "titled 'Does it vanish?'" in text
    assert "x axis 'lag'" in text and "y axis 'gradient norm' (log scale)" in text
    # the line: label without TeX, points, x range, start, end, extremes
    assert "'tanh h_t', 40 points, x from 1 to 40" in text
    assert "starts at 0.5 and ends at 9.1e-13" in text
    assert "maximum 0.5 at x = 1" in text
    assert "a horizontal line at y = 0.001" in text


def test_auto_description_states_images_bars_and_panels():
    fig, axes = plt.subplots(1, 3)
    plotting.heatmap(np.arange(12.0).reshape(3, 4) - 6, ax=axes[0], colorbar_label="h")
    axes[1].bar(["rnn", "lstm"], [0.25, 0.75])
    axes[2].scatter([1, 2, 3], [4, 5, 6])
    fig.suptitle("three panels")
    text = auto_description(fig)
    assert text.startswith("Figure with 3 panels, titled 'three panels'.")  # no colour-bar panel
    assert "an image of 3 by 4 values from -6 to 5 (colour bar: h)" in text
    assert "2 bars (unlabelled): rnn: 0.25, lstm: 0.75" in text
    assert "scatter of 3 points, x from 1 to 3, y from 4 to 6" in text
    assert text.count("Panel ") == 3


def test_auto_description_caps_the_items_of_a_panel():
    fig, ax = plt.subplots()
    for k in range(plotting.MAX_ITEMS + 3):
        ax.plot([0, 1], [k, k + 1])
    assert "and 3 more" in auto_description(fig)


def test_describe_puts_the_lead_first_and_replaces_an_old_lead():
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    assert describe(fig, "An old   lead.") is fig
    describe(fig, "The new lead: it rises from 1 to 3")
    text = description(fig)
    assert text.startswith("The new lead: it rises from 1 to 3. Figure with 1 panel")
    assert "old" not in text


def test_describe_and_auto_description_name_bad_input():
    with pytest.raises(ValueError, match="fig must be a matplotlib Figure"):
        describe("not a figure", "text")
    with pytest.raises(ValueError, match="text must be a str"):
        describe(plt.figure(), 3)
    with pytest.raises(ValueError, match="fig must be a matplotlib Figure"):
        auto_description(None)


def _fake_kernel_shell():
    """The parts of an ipykernel shell that the inline backend and the alt text use."""
    shell = types.SimpleNamespace(kernel=object(), display_formatter=DisplayFormatter())
    shell.events = EventManager(shell, available_events)
    # what matplotlib_inline registers on first use (``bbox_inches="tight"``, the figure's dpi)
    select_figure_formats(shell, {"png"})
    return shell


def _png_output(shell, fig):
    data, metadata = shell.display_formatter.format(fig)
    return data["image/png"], metadata.get("image/png", {})


def test_kernel_png_output_carries_the_description_as_alt_and_the_same_bytes():
    plotting.setup()  # outside a kernel: the style only, nothing registered
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [3, 1, 2], label="loss")
    describe(fig, "The loss falls from 3 to 1, then rises to 2")
    shell = _fake_kernel_shell()
    before, meta_before = _png_output(shell, fig)
    assert "alt" not in meta_before
    assert register_alt_text(shell, captions=False) is True
    png, meta = _png_output(shell, fig)
    assert png == before == print_figure(fig, "png", base64=True)  # the inline backend's bytes
    assert meta["alt"] == description(fig)
    assert meta["alt"].startswith("The loss falls from 3 to 1, then rises to 2. Figure with")


def test_kernel_alt_text_survives_a_later_matplotlib_inline():
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    shell = _fake_kernel_shell()
    register_alt_text(shell, captions=False)
    register_alt_text(shell, captions=False)  # idempotent: one wrapper, one pair of hooks
    select_figure_formats(shell, {"png"})  # what `%matplotlib inline` may do again
    assert "alt" not in _png_output(shell, fig)[1]
    shell.events.trigger("pre_run_cell", None)  # the next cell: wrapped again
    assert _png_output(shell, fig)[1]["alt"] == description(fig)
    select_figure_formats(shell, {"svg"})  # a reader's choice of SVG only is left alone
    shell.events.trigger("pre_run_cell", None)
    data, _ = shell.display_formatter.format(fig)
    assert "image/png" not in data and "image/svg+xml" in data


def test_outside_a_kernel_nothing_is_registered():
    assert register_alt_text(types.SimpleNamespace(kernel=None), captions=False) is False


def test_a_failing_description_never_costs_the_figure(monkeypatch):
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    shell = _fake_kernel_shell()
    register_alt_text(shell, captions=False)

    def broken(fig):
        raise RuntimeError("boom")

    monkeypatch.setattr(plotting, "description", broken)
    png, meta = _png_output(shell, fig)
    assert png and meta["alt"] == "Figure (no description: RuntimeError)"


def test_the_palette_is_okabe_ito_and_the_cycle_leaves_out_yellow():
    import matplotlib as mpl

    greys = {"#7F7F7F", "#000000"}
    assert set(plotting.COLORS.values()) <= set(plotting.OKABE_ITO) | greys
    assert set(plotting.GATE_COLORS.values()) <= set(plotting.OKABE_ITO)
    plotting.setup()
    cycle = [c.upper() for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert "#F0E442" not in cycle and set(cycle) <= set(plotting.OKABE_ITO)
    assert plotting.DIVERGING_CMAP == "RdBu_r" and plotting.SEQUENTIAL_CMAP == "viridis"


def test_sweep_reach_says_how_far_each_learning_rate_learned():
    import numpy as np

    from rnnlib import plotting

    mean = np.array([[90.0, 20.0], [70.0, 10.0], [30.0, 5.0]])  # (lags, rates), percent
    text = plotting.sweep_reach([5, 10, 20], mean, [0.01, 0.03], 0.5)
    assert text == (
        "lr 0.01 learned up to lag 10 (30% at lag 20), lr 0.03 learned at no lag (5% at lag 20)"
    )
