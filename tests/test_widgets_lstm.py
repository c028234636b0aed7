"""rnnlib.widgets.lstm: notebook 05's explorers build controls that redraw."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from widget_checks import shows_a_full_draw

from rnnlib import analysis, widgets
from rnnlib.plotting.lstm import plot_gradient_flow
from rnnlib.timing import best_time


def test_lstm_gate_playground_has_the_expected_controls():
    w = widgets.lstm_gate_playground()
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    assert isinstance(w, ipywidgets.interactive)
    controls = [c for c in w.children if isinstance(c, ipywidgets.ValueWidget)]
    assert [c.description for c in controls] == [
        "input-gate bias b_i",
        "forget-gate bias b_f",
        "output-gate bias b_o",
        "candidate weight w_g",
    ]
    assert [c.value for c in controls] == [-5.0, 5.0, -5.0, 2.0]
    assert (controls[1].min, controls[1].max) == (-8.0, 8.0)
    plt.close("all")


# ------------------------------------------------------------------ gradient flow


@pytest.mark.parametrize(
    "kw",
    [
        {"forget_bias": 5.0, "scale": 8.0},
        {"forget_bias": -2.0, "scale": 0.25},
        {"forget_bias": 1.0, "scale": 2.0**2.5},
    ],
)
def test_plot_gradient_flow_is_fast_at_the_extremes(kw):
    widgets.lstm_vs_rnn_gradient_flow()  # the builder computes the RNN curves once
    plt.close("all")
    assert best_time(plot_gradient_flow, repeat=5, **kw) < 2.0  # 10x guard


def test_builder_precomputes_the_rnn_curve_of_every_slider_position(monkeypatch):
    computed = []
    real = analysis.gradient_norm_vs_lag

    def counting(cell, *args, **kwargs):
        computed.append((cell, kwargs.get("scale")))
        return real(cell, *args, **kwargs)

    monkeypatch.setattr(analysis, "gradient_norm_vs_lag", counting)
    widgets.lstm_vs_rnn_gradient_flow()
    w = widgets.lstm_vs_rnn_gradient_flow()
    scale = [c for c in w.children if isinstance(c, ipywidgets.FloatLogSlider)][0]
    positions = 2.0 ** np.arange(scale.min, scale.max + 1e-9, scale.step)
    assert np.allclose(positions, widgets.FLOW_SCALES)
    before = len(computed)  # at most one RNN curve per slider position, whatever the cache held
    assert before <= len(widgets.FLOW_SCALES)
    for s in positions:  # moving the slider anywhere computes no new RNN curve
        plot_gradient_flow(scale=float(s))
        plt.close("all")
    assert len(computed) == before


def test_lstm_vs_rnn_gradient_flow_has_the_expected_controls():
    w = widgets.lstm_vs_rnn_gradient_flow()
    assert repr(w) == w._repr_mimebundle_()["text/plain"] and repr(w).startswith("Interactive: ")
    assert isinstance(w, ipywidgets.interactive)
    controls = [c for c in w.children if isinstance(c, ipywidgets.ValueWidget)]
    assert [c.description for c in controls] == ["forget-gate bias b_f", "recurrent scale"]
    fb, scale = controls
    assert fb.value == 1.0 and (fb.min, fb.max) == (-2.0, 5.0)
    assert isinstance(scale, ipywidgets.FloatLogSlider) and scale.value == 1.0
    assert not fb.continuous_update
    plt.close("all")


def test_gate_playground_updates_its_figure_in_place():
    w = widgets.lstm_gate_playground()
    live = w.live
    fig = live.fig
    forget = [a for a in fig.axes[1].lines if a.get_label() == "forget gate $f_t$"][0]
    before = forget.get_ydata().copy()
    b_f = [c for c in w.children if getattr(c, "description", "") == "forget-gate bias b_f"][0]
    b_f.value = 0.0
    assert live.fig is fig and plt.get_fignums() == []  # same figure, no new one
    assert not np.allclose(forget.get_ydata(), before)
    assert "$f$ = 0.500" in fig.axes[0].get_title()
    b_f.value = 0.5
    assert live.draws["new"] == 0


def test_gradient_flow_updates_its_figure_in_place():
    from rnnlib.plotting import description

    plt.close("all")
    w = widgets.lstm_vs_rnn_gradient_flow()
    live = w.live
    fig = live.fig
    controls = {c.description: c for c in w.children[:2]}
    for b_f, scale in ((1.5, 1.0), (2.0, 1.0), (2.0, 8.0), (-2.0, 0.25), (-1.0, 0.25)):
        controls["forget-gate bias b_f"].value = b_f
        controls["recurrent scale"].value = scale
        assert live.fig is fig and plt.get_fignums() == []  # same figure, none left to pyplot
        fresh = plot_gradient_flow(b_f, scale)
        for ax, ref in zip(fig.axes, fresh.axes, strict=True):
            assert ax.get_title() == ref.get_title() and ax.get_ylim() == ref.get_ylim()
            for line, ref_line in zip(ax.lines, ref.lines, strict=True):
                np.testing.assert_allclose(line.get_xydata(), ref_line.get_xydata())
                assert line.get_label() == ref_line.get_label()
            assert [t.get_text() for t in ax.get_legend().get_texts()] == [
                t.get_text() for t in ref.get_legend().get_texts()
            ]
        assert description(fig) == description(fresh)
        plt.close(fresh)
    assert live.draws["new"] == 0 and live.draws["blit"] >= 1


def test_gate_playground_update_equals_a_fresh_draw(course_style):
    from rnnlib.plotting import description
    from rnnlib.plotting.lstm import plot_gate_playground

    plt.close("all")
    w = widgets.lstm_gate_playground()
    live = w.live
    fig = live.fig
    controls = {c._kwarg: c for c in w.kwargs_widgets}
    full = live.draws["full"]  # the builder prepared the background: the first move blits
    moves = [("b_i", -4.5), ("w_g", 2.25), ("w_g", 2.5), ("b_f", 0.0), ("b_i", 8.0), ("b_o", 5.0)]
    rescaled = 0
    for name, value in moves:
        ylim = fig.axes[2].get_ylim()
        controls[name].value = value
        rescaled += fig.axes[2].get_ylim() != ylim
        assert live.fig is fig and plt.get_fignums() == []
        assert shows_a_full_draw(live)
        fresh = plot_gate_playground(**w.kwargs)
        for ax, ref in zip(fig.axes, fresh.axes, strict=True):
            assert ax.get_title() == ref.get_title() and ax.get_ylim() == ref.get_ylim()
            for line, ref_line in zip(ax.lines, ref.lines, strict=True):
                np.testing.assert_allclose(line.get_xydata(), ref_line.get_xydata())
        assert description(fig) == description(fresh)
        plt.close(fresh)
    # a full draw only where the state axis changed (its range moves in steps of 0.5)
    assert 0 < rescaled < 3
    assert live.draws == {"full": full + rescaled, "blit": len(moves) - rescaled, "new": 0}


def test_gradient_flow_moves_blit_and_draw_what_a_full_draw_draws(course_style):
    plt.close("all")
    w = widgets.lstm_vs_rnn_gradient_flow()
    live = w.live
    controls = {c._kwarg: c for c in w.kwargs_widgets}
    full = live.draws["full"]  # the builder prepared the background: the first move blits
    for name, value in (("forget_bias", 1.25), ("forget_bias", 2.0), ("scale", 2.0)):
        controls[name].value = value
        assert shows_a_full_draw(live)
    assert live.draws["full"] == full  # the panels' shared range held
    controls["scale"].value = 8.0  # the RNN explodes: a larger range, one full draw
    assert shows_a_full_draw(live) and live.draws["full"] == full + 1
    left, middle = live.fig.axes[:2]
    assert left.get_ylim() == middle.get_ylim()
    plt.close("all")
