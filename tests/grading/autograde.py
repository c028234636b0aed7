"""Autograde submissions with nbgrader and print the scores as JSON (run in the classroom env).

    python tests/grading/autograde.py COURSE ASSIGNMENT [...] [--students S ...] [--timeout S]
        [--feedback S ...] [--log DIR]

Grades the students under ``COURSE/submitted/`` (all, or those named) and prints
``{assignment: {student: {grade_id: score}}}``; a failed autograde shows as ``"error"``.
Then ``nbgrader generate_feedback`` for the students named after ``--feedback``
(``COURSE/feedback/<student>/<assignment>/``); a failure shows as ``"feedback error"``.

With ``--log DIR``, nbgrader's and nbclient's log at debug level, with times, goes to
``DIR/<assignment>-<student>.log`` (kernel start, every cell's request and reply, kernel
shutdown), and ``{"_seconds": {student: seconds}}`` is added to the JSON: where a slow
job spent its time.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path


def _shorten(record):
    """Keep a log line short: a message's whole content can be 70 kB."""
    text = record.getMessage()
    record.msg, record.args = (text[:300] + " ...") if len(text) > 300 else text, ()
    return True


@contextmanager
def _debug_log(folder, api, name):
    """Send nbgrader's, nbclient's and jupyter_client's log, with times, to a file."""
    if folder is None:
        yield
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(Path(folder) / f"{name}.log")
    handler.setFormatter(
        logging.Formatter("%(asctime)s.%(msecs)03d %(levelname)s %(message)s", "%H:%M:%S")
    )
    handler.setLevel(logging.DEBUG)
    handler.addFilter(_shorten)
    log = api.log  # traitlets' logger, which nbgrader, nbclient and jupyter_client share
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
        handler.close()


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("course")
    parser.add_argument("assignments", nargs="+")
    parser.add_argument("--students", nargs="*", default=None)
    parser.add_argument("--timeout", type=int, default=None)
    parser.add_argument("--feedback", nargs="*", default=[])
    parser.add_argument("--log", default=None)
    args = parser.parse_args(argv)
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    course = Path(args.course).resolve()
    bindir = str(Path(sys.executable).parent)
    os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    os.chdir(course)
    config = Config()
    config_file = course / "nbgrader_config.py"
    exec(config_file.read_text(), {"get_config": lambda: config, "__file__": str(config_file)})
    if args.timeout:
        config.Execute.timeout = args.timeout
    api = NbGraderAPI(config=config)
    scores = {"_seconds": {}}
    for assignment in args.assignments:
        scores[assignment] = {}
        for folder in sorted((course / "submitted").glob(f"*/{assignment}")):
            student = folder.parent.name
            if args.students is not None and student not in args.students:
                continue
            started = time.monotonic()
            with _debug_log(args.log, api, f"{assignment}-{student}"):
                result = api.autograde(assignment, student, force=True, create=True)
            scores["_seconds"][student] = round(time.monotonic() - started, 1)
            if not result["success"]:
                scores[assignment][student] = "error: " + str(result.get("error"))[-2000:]
                continue
            with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
                sub = gb.find_submission_notebook(assignment, assignment, student)
                scores[assignment][student] = {g.name: g.score for g in sub.grades}
        for student in args.feedback:
            result = api.generate_feedback(assignment, student, force=True)
            if not result["success"]:
                scores[assignment][student] = "feedback error: " + str(result.get("log"))[-2000:]
    print(json.dumps(scores))


if __name__ == "__main__":
    main()
