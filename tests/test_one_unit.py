"""rnnlib.one_unit: the one-unit RNN of notebook 00 and its pulse input."""

import numpy as np
import pytest

from rnnlib.one_unit import one_unit_rnn, pulse_input


def test_pulse_input():
    assert pulse_input(5).tolist() == [1, 0, 0, 0, 0]
    assert pulse_input(3, size=-0.5).tolist() == [-0.5, 0, 0]


def test_one_unit_rnn_known_answers():
    x = pulse_input(5)
    # w = 0: no memory, the state is zero once the pulse has passed
    h = one_unit_rnn(0.0, x)
    assert h[0] == np.tanh(1.0) and np.all(h[1:] == 0)
    # small values decay by about w per step; a negative w flips the sign every step
    h = one_unit_rnn(-0.5, pulse_input(6))
    assert np.all(np.sign(h) == [1, -1, 1, -1, 1, -1])
    assert h[2] == pytest.approx(np.tanh(-0.5 * h[1]), rel=1e-15)


def test_w_above_one_keeps_the_sign_not_the_size():
    h = one_unit_rnn(1.2, pulse_input(200))
    # tanh(1.2 h) = h has a non-zero fixed point: the pulse's sign is never forgotten
    assert h[-1] > 0.5 and h[-1] == pytest.approx(np.tanh(1.2 * h[-1]), rel=1e-9)
    # ... but its size is: pulses of 0.3 and 1 end at the same state, -1 at its mirror image
    small = one_unit_rnn(1.2, pulse_input(200, size=0.3))[-1]
    negative = one_unit_rnn(1.2, pulse_input(200, size=-1.0))[-1]
    assert small == pytest.approx(h[-1], rel=1e-9) and negative == pytest.approx(-h[-1], rel=1e-9)
    assert abs(one_unit_rnn(0.8, pulse_input(200))[-1]) < 1e-12


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="T must be a positive int"):
        pulse_input(0)
    with pytest.raises(ValueError, match="x must be real numbers of shape \\(T,\\)"):
        one_unit_rnn(0.5, np.zeros((2, 3)))
