"""rnnlib.widgets._core: interactive_plot, and the text form a widget shows without a kernel."""

import math

import ipywidgets
import matplotlib.pyplot as plt
import pytest

from rnnlib import widgets
from rnnlib.widgets._core import STATIC_NOTE, interactive_plot, text_form, with_text_form

VIEW = "application/vnd.jupyter.widget-view+json"


def _spy():
    calls = []

    def plot(radius, activation, T):
        calls.append((radius, activation, T))
        fig, ax = plt.subplots()
        ax.set_title(f"{radius} {activation} {T}")
        return fig

    return plot, calls


def _explorer(plot):
    return interactive_plot(
        plot,
        radius=ipywidgets.FloatSlider(value=1.0, min=0.5, max=2.0, description="spectral radius"),
        activation=ipywidgets.Dropdown(options=["tanh", "relu"], description="activation $f$"),
        T=ipywidgets.fixed(50),
    )


def test_interactive_plot_text_form_names_the_controls_and_is_its_repr():
    plot, _ = _spy()
    w = _explorer(plot)
    want = (
        "Interactive: spectral radius, activation f. Run the notebook to move them; "
        "the figure above shows the defaults."
    )
    assert w.text_form == want
    assert repr(w) == want
    bundle = w._repr_mimebundle_()
    assert bundle["text/plain"] == want  # whole, not cut at ipywidgets' 110 characters
    assert len(want) > 110
    assert bundle[VIEW]["model_id"] == w.model_id  # the live view is still offered
    plt.close("all")


def test_interactive_plot_still_redraws_when_a_control_moves():
    plot, calls = _spy()
    w = _explorer(plot)
    assert calls == [(1.0, "tanh", 50)]  # drawn once with the defaults
    w.children[0].value = 1.5
    w.children[1].value = "relu"
    assert calls[-2:] == [(1.5, "tanh", 50), (1.5, "relu", 50)]
    assert isinstance(w, ipywidgets.interactive) and isinstance(w.children[-1], ipywidgets.Output)
    plt.close("all")


@pytest.mark.parametrize(
    ("controls", "want"),
    [
        (["seed"], f"Interactive: seed. Run the notebook to move it; {STATIC_NOTE}."),
        (
            [ipywidgets.IntSlider(description="step $t$"), "hidden size $H$", "seed"],
            "Interactive: step t, hidden size H, seed. Run the notebook to move them; "
            "the figure above shows the defaults.",
        ),
        (
            [ipywidgets.FloatSlider(description=r"$\rho(W_h)$:"), ipywidgets.Output()],
            f"Interactive: rho(W_h). Run the notebook to move it; {STATIC_NOTE}.",
        ),
        ([], "Interactive. Run the notebook to use it; the figure above shows the defaults."),
    ],
)
def test_text_form_reads_as_a_sentence(controls, want):
    assert text_form(controls) == want


def test_with_text_form_walks_a_hand_built_box_for_its_controls():
    # the kind of widget notebooks 06 and 07 build by hand: controls, labels, outputs
    box = ipywidgets.VBox(
        [
            ipywidgets.HBox([ipywidgets.IntSlider(description="seed"), ipywidgets.Label("x")]),
            ipywidgets.FloatLogSlider(description="temperature"),
            ipywidgets.IntProgress(description="training"),
            ipywidgets.HTML("<b>sample</b>"),
            ipywidgets.Button(description="sample again"),
            ipywidgets.Output(),
        ]
    )
    note = "the text above was sampled with the defaults"
    assert with_text_form(box, note=note) is box
    want = (
        "Interactive: seed, temperature, sample again. Run the notebook to move them; "
        "the text above was sampled with the defaults."
    )
    bundle = box._repr_mimebundle_()
    assert bundle["text/plain"] == want and VIEW in bundle
    assert repr(box) == want and isinstance(box, ipywidgets.VBox)  # still a VBox
    assert type(box).__name__ == "VBox" and repr(ipywidgets.VBox()) != want  # others untouched
    # a verbatim text wins, and a box keeps working as a box
    with_text_form(box, "Interactive: a sampler.")
    assert box._repr_mimebundle_()["text/plain"] == "Interactive: a sampler."
    box.children[1].value = 2.0
    assert box.children[1].value == 2.0


def test_with_text_form_on_a_plain_interactive_uses_its_controls():
    w = ipywidgets.interactive(lambda k: None, k=ipywidgets.IntSlider(description="lag $k$"))
    with_text_form(w)
    assert (
        w._repr_mimebundle_()["text/plain"]
        == repr(w)
        == (f"Interactive: lag k. Run the notebook to move it; {STATIC_NOTE}.")
    )


def test_the_course_widgets_have_a_text_form():
    for build in (widgets.first_slider, widgets.gradient_explorer):
        w = build()
        text = w._repr_mimebundle_()["text/plain"]
        assert text.startswith("Interactive: ") and "interactive(" not in text
        assert repr(w) == text
    plt.close("all")


def test_interactive_plot_shows_one_image_and_leaves_no_figure_to_pyplot():
    plot, calls = _spy()
    w = _explorer(plot)
    first = w.live.image.value
    assert first[:4] == b"\x89PNG" and plt.get_fignums() == []
    w.children[0].value = 1.5  # no update function: a new figure in the same image
    assert w.live.image.value != first and plt.get_fignums() == []
    assert w.live.draws["new"] == 1


def _line_plot(k=1.0):
    # No layout engine, whatever style an earlier test set: LiveFigure keeps a figure's
    # first layout on purpose (no jump per move), so under the course's constrained
    # layout a redrawn figure differs from a fresh one at another k by its layout.
    fig, ax = plt.subplots(figsize=(3, 2), layout="none")
    ax.plot([0, 1, 2], [0, k, 0], color="C0")
    ax.set_ylim(0, _top(k))
    ax.set_title(f"k = {k}")
    return fig


def _top(k):
    return float(max(1, math.ceil(1.1 * k)))


def _update_line_plot(fig, k=1.0):
    """Moves the line; returns None when the y axis must grow (a full draw)."""
    ax = fig.axes[0]
    (line,) = ax.lines
    line.set_ydata([0, k, 0])
    ax.set_title(f"k = {k}")
    top = _top(k)
    if ax.get_ylim() != (0, top):
        ax.set_ylim(0, top)
        return None
    return [line, *ax.spines.values(), ax.title]  # the spines lie on top of the line


def _pixels(png):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_a_full_draw_keeps_the_changed_artists_out_of_the_background():
    import numpy as np

    w = interactive_plot(
        _line_plot, update=_update_line_plot, k=ipywidgets.FloatSlider(value=0.5, max=4.0)
    )
    live, k = w.live, w.children[0]
    assert live.draws == {"full": 1, "blit": 0, "new": 0}
    k.value = 0.6  # the first update: a new set of changed artists, a new background
    k.value = 0.7
    assert live.draws == {"full": 2, "blit": 1, "new": 0}
    k.value = 1.5  # the axis grows: a full draw ...
    assert live.draws == {"full": 3, "blit": 1, "new": 0}
    k.value = 1.6  # ... after which the same slider blits again
    assert live.draws == {"full": 3, "blit": 2, "new": 0}
    fresh = interactive_plot(_line_plot, k=ipywidgets.FloatSlider(value=1.6, max=4.0))
    np.testing.assert_array_equal(_pixels(live.image.value), _pixels(fresh.live.image.value))
    plt.close("all")


def test_png_bytes_is_a_png_of_the_rgb_pixels():
    import numpy as np

    from rnnlib.widgets._core import png_bytes

    rgba = np.random.default_rng(0).integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    png = png_bytes(rgba)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    np.testing.assert_array_equal(_pixels(png), rgba[:, :, :3])
    fig = _line_plot()
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    np.testing.assert_array_equal(_pixels(png_bytes(rgba)), rgba[:, :, :3])
    rows = np.empty((rgba.shape[0], 1 + 3 * rgba.shape[1]), np.uint8)  # reused: same PNG
    assert png_bytes(rgba, rows) == png_bytes(rgba) and rows[0, 0] == 0
    assert png_bytes(rgba, np.empty((2, 2), np.uint8)) == png_bytes(rgba)  # wrong size: ignored
    plt.close("all")


def test_a_full_draw_leaves_out_an_artist_the_update_removed():
    import numpy as np

    def update(fig, k=1.0):
        ax = fig.axes[0]
        if k > 2:  # replace the line: the old one must not be drawn on top any more
            ax.lines[0].remove()
            ax.plot([0, 1, 2], [k, 0, k], color="C1")
            return None
        ax.lines[0].set_ydata([0, k, 0])
        return [ax.lines[0]]

    w = interactive_plot(_line_plot, update=update, k=ipywidgets.FloatSlider(value=0.5, max=4.0))
    live, k = w.live, w.children[0]
    k.value = 0.6
    old = live.fig.axes[0].lines[0]
    assert live._animated == (old,)
    k.value = 3.0
    assert live._animated == () and not old.get_animated()
    for artist in live._animated:
        artist.set_animated(False)
    live.fig.canvas.draw()
    full = np.asarray(live.fig.canvas.buffer_rgba())[:, :, :3]
    np.testing.assert_array_equal(_pixels(live.image.value), full)
    plt.close("all")
