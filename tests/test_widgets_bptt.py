"""Widget and plot of notebook 03: correct gradient contributions, fast updates, live controls."""

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib import gradcheck, sequence, widgets


def _bar_heights(fig):
    return np.array([p.get_height() for p in fig.axes[0].patches if p.get_width() < 1])


def test_input_gradient_norms_match_finite_differences():
    x, Wx, Wh, b, u = widgets.example_rnn(1.3, T=6, D=2, H=5, seed=4)
    norms = widgets.input_gradient_norms(x, Wx, Wh, b, u)
    assert norms.shape == (6, 6)
    for t in (1, 4, 6):  # math steps: the loss L_t = h_t . u

        def L(t=t):
            h, _ = sequence.rnn_forward(x, np.zeros((1, 5)), Wx, Wh, b)
            return np.array(h[0, t - 1] @ u)

        g = gradcheck.numerical_gradient(L, x, np.float64(1.0))  # (1, T, D)
        assert gradcheck.rel_error(np.linalg.norm(g[0], axis=1), norms[t - 1]) < 1e-7


def test_later_inputs_do_not_move_an_earlier_loss():
    norms = widgets.input_gradient_norms(*widgets.example_rnn(1.0, T=10))
    assert np.all(np.triu(norms, k=1) == 0)  # s > t
    assert np.all(np.diag(norms) > 0)


def test_contributions_fade_faster_for_a_contractive_wh():
    lag_ratio = {}
    for scale in (0.5, 1.0):
        norms = widgets.input_gradient_norms(*widgets.example_rnn(scale, T=30))
        lag_ratio[scale] = norms[-1, 0] / norms[-1, -1]
    assert lag_ratio[0.5] < 1e-6 * lag_ratio[1.0]


def test_example_rnn_scale_is_every_singular_value():
    Wh = widgets.example_rnn(0.7, H=8)[2]
    assert np.allclose(np.linalg.svd(Wh, compute_uv=False), 0.7)


@pytest.mark.parametrize("log", [True, False])
def test_plot_draws_t_bars_and_shades_the_future(log):
    norms = widgets.input_gradient_norms(*widgets.example_rnn(1.0, T=12))
    fig = widgets.plot_gradient_contributions(norms, t=5, log=log, scale=1.0)
    heights = _bar_heights(fig)
    assert len(heights) == 5
    expected = np.maximum(norms[4, :5], widgets.bptt.LOG_FLOOR) if log else norms[4, :5]
    assert np.allclose(heights, expected)
    assert fig.axes[0].get_yscale() == ("log" if log else "linear")
    assert "L_{5}" in fig.axes[0].get_title()
    plt.close(fig)
    with pytest.raises(ValueError, match="between 1 and T"):
        widgets.plot_gradient_contributions(norms, t=13)


def test_builder_returns_interactive_with_the_expected_controls():
    w = widgets.gradient_contributions(T=12)
    assert isinstance(w, ipywidgets.interactive)
    controls = {c.description: c for c in w.children[:-1]}
    assert set(controls) == {"step t", "scale of Wh", "log scale"}
    assert controls["step t"].max == 12 and controls["step t"].value == 9
    assert isinstance(controls["scale of Wh"], ipywidgets.FloatLogSlider)


def test_moving_each_control_changes_the_figure(monkeypatch):
    drawn = []
    monkeypatch.setattr(plt, "show", lambda: drawn.append(plt.gcf()))
    w = widgets.gradient_contributions(T=12)
    controls = {c.description: c for c in w.children[:-1]}

    def state():
        w.update()
        fig = drawn[-1]
        out = (_bar_heights(fig), fig.axes[0].get_yscale())
        plt.close(fig)
        return out

    base = state()
    for name, value in (("step t", 12), ("scale of Wh", 0.5), ("log scale", False)):
        old = controls[name].value
        controls[name].value = value
        new = state()
        assert len(new[0]) != len(base[0]) or not np.allclose(new[0], base[0]) or \
            new[1] != base[1], f"moving {name!r} did not change the figure"
        controls[name].value = old


def test_widget_update_is_fast_at_the_largest_settings():
    w = widgets.gradient_contributions()  # T = 40, the largest default
    norms = widgets.input_gradient_norms(*widgets.example_rnn(2.0))
    assert widgets.time_call(widgets.plot_gradient_contributions, norms, 40, log=True) < 0.2
    assert widgets.time_call(widgets.plot_gradient_contributions, norms, 40, log=False) < 0.2
    # a full widget redraw: nearest precomputed scale, then the plot
    plt.close("all")
    assert widgets.time_call(w.update) < 0.2
    plt.close("all")
