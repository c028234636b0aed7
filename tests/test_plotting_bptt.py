"""rnnlib.plotting.bptt: notebook 03's figures draw what they are given, fast."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from rnnlib.bptt import input_gradient_norms, scaled_orthogonal_rnn
from rnnlib.plotting.bptt import LOG_FLOOR, plot_gradient_contributions


def _bar_heights(fig):
    """The heights of the bars shown (every step has a bar; those after t are hidden)."""
    return np.array(
        [p.get_height() for p in fig.axes[0].patches if p.get_width() < 1 and p.get_visible()]
    )


@pytest.mark.parametrize("log", [True, False])
def test_plot_draws_t_bars_and_shades_the_future(log):
    norms = input_gradient_norms(*scaled_orthogonal_rnn(1.0, T=12))
    fig = plot_gradient_contributions(norms, t=5, log=log, scale=1.0)
    heights = _bar_heights(fig)
    assert len(heights) == 5
    expected = np.maximum(norms[4, :5], LOG_FLOOR) if log else norms[4, :5]
    assert np.allclose(heights, expected)
    assert fig.axes[0].get_yscale() == ("log" if log else "linear")
    assert "L_{5}" in fig.axes[0].get_title()
    plt.close(fig)
    with pytest.raises(ValueError, match="between 1 and T"):
        plot_gradient_contributions(norms, t=13)


def test_plot_describes_the_nearest_and_the_first_input_in_numbers():
    from rnnlib.plotting import description

    norms = np.zeros((6, 6))
    norms[3, :4] = [1e-6, 1e-4, 1e-2, 1.0]
    text = description(plot_gradient_contributions(norms, t=4, log=True, scale=0.5))
    assert text.startswith("Log-scale bar chart of the gradient norm ||dL_t/dx_s||")
    assert "every singular value of W_h equal to 0.5" in text
    assert "the nearest input (s = 4) gets 1, the first (s = 1) 1e-6, 1e-6 times as much" in text
    assert "inputs after step 4 (up to 6) have no effect" in text
    assert "4 bars (unlabelled)" in text  # the generic part lists the bars
    plt.close("all")


def _assert_same_figure(fig, ref):
    """What a reader sees and reads: bars, shading, texts, title, axes, description."""
    from rnnlib.plotting import description

    ax, r = fig.axes[0], ref.axes[0]
    assert ax.get_title() == r.get_title() and ax.get_yscale() == r.get_yscale()
    assert ax.get_xlim() == r.get_xlim() and ax.get_ylim() == r.get_ylim()

    def shown(a):
        patches = [(p.get_gid(), p.get_bbox().bounds) for p in a.patches if p.get_visible()]
        texts = [(t.get_text(), t.get_position()) for t in a.texts if t.get_visible()]
        return patches, texts

    assert shown(ax) == shown(r)
    np.testing.assert_array_equal(_bar_heights(fig), _bar_heights(ref))
    assert description(fig) == description(ref)


def test_update_gives_the_figure_a_fresh_draw_gives():
    from rnnlib.plotting.bptt import update_gradient_contributions

    tables = {sc: input_gradient_norms(*scaled_orthogonal_rnn(sc, T=12)) for sc in (0.5, 1.0)}
    top = max(float(n.max()) for n in tables.values())
    kw = {"t": 9, "log": True, "scale": 1.0, "top": top}
    fig = plot_gradient_contributions(tables[1.0], **kw)
    blits = []
    # step t within 1..T (all bars, none), the scale on a common log axis, then linear
    for move in ({"t": 10}, {"t": 12}, {"t": 1}, {"t": 2}, {"scale": 0.5}, {"log": False}):
        kw.update(move)
        if move.get("log") is False:
            kw["top"] = None  # the widget's linear axis follows each scale
        changed = update_gradient_contributions(fig, tables[kw["scale"]], **kw)
        blits.append(changed is not None)
        ref = plot_gradient_contributions(tables[kw["scale"]], **kw)
        _assert_same_figure(fig, ref)
        plt.close(ref)
    assert blits == [True] * 5 + [False]  # only the switch to a linear axis redraws it all
    with pytest.raises(ValueError, match="drawn for T = 12"):
        update_gradient_contributions(fig, np.zeros((5, 5)), t=3)
    plt.close("all")


def test_top_sets_the_y_range_and_the_default_is_the_largest_norm():
    norms = input_gradient_norms(*scaled_orthogonal_rnn(1.0, T=12))
    fig = plot_gradient_contributions(norms, t=5, log=True)
    assert fig.axes[0].get_ylim() == (LOG_FLOOR, 3 * norms.max())
    fig = plot_gradient_contributions(norms, t=5, log=False, top=2.0)
    assert fig.axes[0].get_ylim() == (0, 2.2)
    plt.close("all")
