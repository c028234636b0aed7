"""Wall-clock timing for the notebooks' timing cells and the benchmarks.

A timing depends on the machine and on what else runs on it: a notebook cell
that prints one carries the ``nbval-ignore-output`` tag, and no unit test asserts
one (speed belongs in ``benchmarks/``).
"""

from __future__ import annotations

import time

from rnnlib._validate import check_int

__all__ = ["best_time"]


def best_time(fn, *args, repeat=5, **kwargs):
    """Best wall time of ``fn(*args, **kwargs)`` over ``repeat`` calls, in seconds.

    The minimum, not the mean: a busy moment of the machine can only make a call
    slower, so the fastest call is the best estimate of the work itself. A
    matplotlib figure that ``fn`` returns is closed, so repeated calls do not pile up.

    Parameters
    ----------
    fn : callable
    *args, **kwargs
        Passed to ``fn``.
    repeat : int
        Number of calls, ``>= 1``.

    Returns
    -------
    float
    """
    if not callable(fn):
        raise TypeError(f"fn must be a callable, got {type(fn).__name__}")
    repeat = check_int("repeat", repeat)
    best = float("inf")
    for _ in range(int(repeat)):
        start = time.perf_counter()
        out = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
        _close_if_figure(out)
    return best


def _close_if_figure(out):
    """Close ``out`` if it is a matplotlib figure (without importing matplotlib otherwise)."""
    import sys

    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None and isinstance(out, plt.Figure):
        plt.close(out)
