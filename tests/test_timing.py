"""rnnlib.timing: the best of several wall-clock timings (no speed is asserted here)."""

import matplotlib.pyplot as plt
import pytest

from rnnlib.timing import best_time


def test_best_time_calls_the_function_repeat_times_with_its_arguments():
    calls = []
    seconds = best_time(lambda a, b=0: calls.append((a, b)), 1, b=2, repeat=4)
    assert calls == [(1, 2)] * 4
    assert 0.0 <= seconds < float("inf")


def test_returned_figures_are_closed():
    before = len(plt.get_fignums())
    best_time(plt.figure, repeat=3)
    assert len(plt.get_fignums()) == before


def test_bad_repeat_is_refused():
    with pytest.raises(ValueError, match="repeat must be a positive int"):
        best_time(print, repeat=0)
