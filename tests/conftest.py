"""Shared pytest setup: a non-interactive matplotlib, the course style on request, and the
browser suite last."""

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture
def course_style():
    """The notebooks' style (``rnnlib.setup()``: constrained layout, grid), for one test."""
    from rnnlib import plotting

    with matplotlib.rc_context():
        plotting.setup()
        yield


def pytest_collection_modifyitems(config, items):
    # The browser suite is the slowest and depends on everything else working:
    # run it after the unit tests and the notebooks.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
