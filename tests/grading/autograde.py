"""Autograde submissions with nbgrader and print the scores as JSON (run in the classroom env).

    python tests/grading/autograde.py COURSE ASSIGNMENT [...] [--students S ...] [--timeout S]
        [--feedback S ...]

Grades the students under ``COURSE/submitted/`` (all, or those named) and prints
``{assignment: {student: {grade_id: score}}}``; a failed autograde shows as ``"error"``.
Then ``nbgrader generate_feedback`` for the students named after ``--feedback``
(``COURSE/feedback/<student>/<assignment>/``); a failure shows as ``"feedback error"``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("course")
    parser.add_argument("assignments", nargs="+")
    parser.add_argument("--students", nargs="*", default=None)
    parser.add_argument("--timeout", type=int, default=None)
    parser.add_argument("--feedback", nargs="*", default=[])
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
    scores = {}
    for assignment in args.assignments:
        scores[assignment] = {}
        for folder in sorted((course / "submitted").glob(f"*/{assignment}")):
            student = folder.parent.name
            if args.students is not None and student not in args.students:
                continue
            result = api.autograde(assignment, student, force=True, create=True)
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
