"""Shared pytest setup: a non-interactive matplotlib, and the browser suite last."""

import matplotlib

matplotlib.use("Agg")


def pytest_collection_modifyitems(config, items):
    # The browser suite is the slowest and depends on everything else working:
    # run it after the unit tests and the notebooks.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
