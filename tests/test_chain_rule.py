"""rnnlib.chain_rule: the deep tanh chain of notebook 02 and its finite-difference referee."""

import numpy as np
import pytest

from rnnlib.chain_rule import tanh_chain, tanh_chain_central_difference


def test_tanh_chain_known_answers():
    # h0 = 0 stays at 0, where tanh' = 1: the derivative is exactly w**n.
    h, local, grad = tanh_chain(0.0, 0.5, 10)
    assert np.all(h == 0) and grad[-1] == 0.5**10
    h, local, grad = tanh_chain(0.3, 1.7, 4)
    assert h[1] == np.tanh(1.7 * 0.3) and grad[0] == 1.0
    assert grad[-1] == pytest.approx(np.prod(1.7 * (1 - h[1:] ** 2)), rel=1e-15)
    assert local.shape == (4,) and grad.shape == h.shape == (5,)


def test_bad_depth_is_refused():
    with pytest.raises(ValueError, match="n must be an int >= 0"):
        tanh_chain(0.3, 1.0, -1)
    with pytest.raises(ValueError, match="n must be an int >= 0"):
        tanh_chain(0.3, 1.0, 2.5)


@pytest.mark.parametrize(
    "w, h0, n", [(0.5, 1.0, 20), (1.0, 1.0, 30), (2.0, 1e-5, 17), (3.0, 1.0, 3), (-1.5, 0.4, 8)]
)
def test_chain_rule_product_matches_finite_differences(w, h0, n):
    fd, resolved = tanh_chain_central_difference(h0, w, n)
    assert resolved
    grad = tanh_chain(h0, w, n)[2][-1]
    assert abs(fd - grad) / abs(grad) < 1e-6


def test_finite_differences_go_blind_on_a_saturated_chain():
    fd, resolved = tanh_chain_central_difference(1.0, 3.0, 20)
    assert not resolved
    assert tanh_chain(1.0, 3.0, 20)[2][-1] < 1e-25  # the truth is tiny, not 0 or noise
