"""``make assignments``: the course's exercises as nbgrader assignments, under ``build/``.

Standard library only, so that it runs before any virtual environment exists:

1. the classroom environment ``.venv-classroom`` (``classroom/launch.py``: the course's
   runtime, the instructor extras with nbgrader, and ``rnnlib``), made or refreshed;
2. ``python -m grading.generate`` in it: ``build/assignments/source/<notebook>/`` with
   the reference solutions and the autograder tests, then ``nbgrader generate_assignment``
   into ``build/assignments/release/``.

Options are passed on to ``grading/generate.py`` (``--out``, ``--seed``, ``--only``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "build" / "assignments"


def environment():
    """The classroom environment's Python (made on first use)."""
    sys.path.insert(0, str(REPO))
    from classroom.launch import ensure_env

    return ensure_env()


def run(python, *args, **kwargs):
    """Run ``python -m <args>`` from the repository's root, one BLAS thread."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(REPO))
    return subprocess.run([str(python), "-m", *args], cwd=REPO, env=env, **kwargs)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not any(a == "--out" or a.startswith("--out=") for a in argv):
        argv = ["--out", str(OUT), *argv]
    python = environment()
    return run(python, "grading.generate", *argv).returncode


if __name__ == "__main__":
    sys.exit(main())
