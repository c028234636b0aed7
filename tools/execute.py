"""Execute notebooks top to bottom in a fresh kernel and store their outputs.

Usage::

    python tools/execute.py                    # every notebook in notebooks/
    python tools/execute.py 03 04              # notebooks whose names start with 03 or 04

Each notebook runs in its own folder, like nbval and JupyterLab run it. The
wall time of each run is printed here (never stored in the notebook). The
navigation cells are written by ``tools/navigation.py``, not here.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor
from traitlets.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools import navigation  # noqa: E402


def execute(path, timeout=900):
    """Run ``path`` in a fresh python3 kernel and write it back; return seconds taken."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    # coalesce_streams: one print can reach the kernel's stdout in two pieces ("text", "\n");
    # merged, a cell stores one stream output instead of a stray empty-looking one.
    # record_timing=False: no per-cell timestamps in the stored notebook (they change on
    # every run and tell a reader nothing).
    # The kernel client of the grader, which waits for a reply in half-second slices: with
    # the default one, a missed wake-up after a widget cell can hold a finished cell until
    # the timeout (grading/autograder.py, SlicedWaitChannel).
    config = Config()
    config.AsyncKernelManager.client_class = "grading.autograder.SlicedWaitKernelClient"
    ExecutePreprocessor(
        timeout=timeout,
        kernel_name="python3",
        coalesce_streams=True,
        record_timing=False,
        config=config,
    ).preprocess(nb, {"metadata": {"path": str(path.parent)}})
    seconds = time.perf_counter() - start
    nb.metadata.pop("widgets", None)  # widget state differs run to run and is not needed
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps stored by earlier runs
    nbformat.write(nb, path)
    return seconds


def main(argv):
    paths = navigation.notebook_paths()
    if argv:
        paths = [p for p in paths if any(p.name.startswith(a) for a in argv)]
    for path in paths:
        seconds = execute(path)
        print(f"{path.name}: executed in {seconds:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
