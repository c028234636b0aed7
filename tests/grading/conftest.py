"""The grading tests' session fixtures and score table live in harness.py."""

from harness import (  # noqa: F401  (fixtures and the summary hook)
    classroom_python,
    course,
    graded,
    pytest_terminal_summary,
)
