"""How the course runs numpy: one BLAS thread for its small matrices, and the plot style.

The matrices in this course are small (a batch of 16 to 64 rows times 16 to 256
columns). A multi-threaded BLAS splits each product between cores; for a product
this small the threads spend longer waiting for each other than computing, and
when another program (a browser, say) keeps one core busy, a single product can
stall for tens of milliseconds. One thread is steady and, at these sizes, as fast.

The thread count is set with ``threadpoolctl`` inside the running kernel. An
environment variable such as ``OPENBLAS_NUM_THREADS`` only takes effect if it is
set before numpy is first imported, which a notebook cannot promise.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

from threadpoolctl import threadpool_info, threadpool_limits

__all__ = ["blas_threads", "current_blas_threads", "setup"]


def setup(threads=1, captions=None):
    """Prepare a notebook: limit BLAS to ``threads`` and apply the course's plot style.

    Call once, in a notebook's setup cell: ``rnnlib.setup()``. Idempotent. In a
    running kernel every figure's PNG output then carries a text description of
    the figure as its alt text (see :func:`rnnlib.plotting.register_alt_text`).

    Parameters
    ----------
    threads : int or None
        BLAS threads for the rest of the session; ``None`` leaves BLAS as it is.
    captions : bool or None
        Also show each figure's description as text above it (for a screen reader
        in JupyterLab, which does not read an output's alt text). ``None``: on if the
        environment variable ``RNNLIB_FIGURE_CAPTIONS`` is ``1``.

    Returns
    -------
    int or None
        The BLAS thread count now in force (``None`` if no BLAS library was found).
    """
    from rnnlib import plotting  # matplotlib only when a notebook asks for it

    if threads is not None:
        if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
            raise ValueError(f"threads must be a positive int or None, got {threads!r}")
        threadpool_limits(limits=threads, user_api="blas")
    plotting.setup(captions=captions)
    return current_blas_threads()


def current_blas_threads():
    """Return the thread count of the first BLAS library numpy uses (``None`` if none)."""
    for info in threadpool_info():
        if info.get("user_api") == "blas":
            return info.get("num_threads")
    return None


@contextmanager
def blas_threads(threads):
    """Run a block with ``threads`` BLAS threads, then restore the previous setting.

    For code that multiplies *big* matrices on purpose (a benchmark, a long
    training run) and wants every core::

        with rnnlib.blas_threads(None):   # None: as many as BLAS likes
            model.train(...)

    Parameters
    ----------
    threads : int or None
        Threads inside the block; ``None`` means one per CPU core.
    """
    if threads is None:
        threads = os.cpu_count() or 1
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
        raise ValueError(f"threads must be a positive int or None, got {threads!r}")
    with threadpool_limits(limits=threads, user_api="blas"):
        yield
