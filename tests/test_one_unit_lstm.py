"""The one-unit LSTM with hand-set gates of notebook 05: it writes, keeps, forgets, reads."""

import numpy as np
import pytest

from rnnlib import cells, one_unit_lstm
from rnnlib.activations import sigmoid


def test_inputs_have_the_markers():
    x = one_unit_lstm.inputs()
    assert x.shape == (1, one_unit_lstm.LENGTH, 3)
    assert list(np.flatnonzero(x[0, :, 1])) == list(one_unit_lstm.WRITES)
    assert list(np.flatnonzero(x[0, :, 2])) == list(one_unit_lstm.READS)
    assert np.all(np.abs(x[0, :, 0]) <= 1)
    assert np.array_equal(x, one_unit_lstm.inputs())  # seeded


def test_weights_follow_the_gate_order():
    Wx, Wh, b = one_unit_lstm.weights(b_i=-1.0, b_f=2.0, b_o=-3.0, w_g=1.5)
    assert Wx.shape == (3, 4) and Wh.shape == (1, 4) and not Wh.any()
    assert list(b) == [-1.0, 2.0, 0.0, -3.0]  # i, f, g, o
    assert Wx[0, 2] == 1.5 and Wx[1, 0] > 0 and Wx[1, 1] < 0 and Wx[2, 3] > 0


def test_run_matches_the_step_function():
    r = one_unit_lstm.run(b_i=-2.0, b_f=1.0, b_o=0.5, w_g=-1.0)
    x = one_unit_lstm.inputs()
    Wx, Wh, b = one_unit_lstm.weights(-2.0, 1.0, 0.5, -1.0)
    h, c = np.zeros((1, 1)), np.zeros((1, 1))
    for t in range(x.shape[1]):
        h, c, cache = cells.lstm_step_forward(x[:, t], h, c, Wx, Wh, b)
        assert r["c"][t] == pytest.approx(c[0, 0], abs=1e-12)
        assert r["h"][t] == pytest.approx(h[0, 0], abs=1e-12)
        assert r["f"][t] == pytest.approx(cache.f[0, 0], abs=1e-12)


def test_default_unit_writes_keeps_and_reads():
    r = one_unit_lstm.run()
    w1, w2 = one_unit_lstm.WRITES
    r1, r2 = one_unit_lstm.READS
    # write: the cell takes the written value's candidate at the marker
    assert r["c"][w1] == pytest.approx(np.tanh(2.0 * r["v"][w1]), abs=0.02)
    # keep: between the first write and the second, c decays only by f = sigmoid(5) per step
    assert r["c"][w2 - 1] == pytest.approx(r["c"][w1] * sigmoid(5.0) ** (w2 - 1 - w1), rel=0.05)
    # the second write replaces (forget gate closed by the marker): the sign flips
    assert r["c"][w2] < -0.5 < 0.5 < r["c"][w2 - 1]
    # read: h shows the memory only at the cues
    shut = np.ones(len(r["h"]), bool)
    shut[[r1, r2]] = False
    assert abs(r["h"][r1]) > 0.5 and abs(r["h"][r2]) > 0.5
    assert np.max(np.abs(r["h"][shut])) < 0.01


def test_forget_bias_minus_five_forgets_at_once():
    r = one_unit_lstm.run(b_f=-5.0)
    w1 = one_unit_lstm.WRITES[0]
    assert abs(r["c"][w1]) > 0.5 and abs(r["c"][w1 + 2]) < 0.01


def test_presets_are_four_settings_of_the_four_controls():
    assert len(one_unit_lstm.PRESETS) == 4
    for p in one_unit_lstm.PRESETS.values():
        assert set(p) == {"b_i", "b_f", "b_o", "w_g"}
        assert one_unit_lstm.run(**p)["c"].shape == (one_unit_lstm.LENGTH,)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="T must be > 33"):
        one_unit_lstm.inputs(T=20)
    with pytest.raises(ValueError, match=r"x must have shape \(1, T, 3\)"):
        one_unit_lstm.run(x=np.zeros((2, 40, 3)))
