"""The source of the autograder test cells (visible part and hidden part).

Generated once per exercise by ``grading/generate.py``. The visible part runs the
exercise's self-check and fails unless it says PASS. The hidden part decides nothing in
the student's kernel: it runs ``grading/kernel.py`` (embedded, with the test's new inputs)
in fresh globals, which calls the answer on the inputs and publishes what it returned and
what it called as data. The grader, ``grading/autograder.py`` in nbgrader's own process,
compares that with the expected values (which never enter the kernel) and checks the
notebook's code; it gives zero when

- the answer's value, or its outputs on the new inputs, differ from the reference;
- the answer (a function) calls into ``rnnlib`` other than :data:`ALLOWED` while it
  runs (a ``sys.setprofile`` hook), or is itself a function of ``rnnlib``;
- the code of the submission reads ``rnnlib.exercises`` beyond what the release itself
  uses, imports ``solutions``, replaces a function of numpy, the builtins or the grading's
  modules, or switches off the tracing: in a cell that defines or uses this answer, or in
  a cell that mentions no answer at all (decided from the code with ``ast``: names bound
  to those modules, never words in strings, comments or markdown).
"""

from __future__ import annotations

#: Modules of rnnlib an answer may call: the activations (sigmoid, tanh and friends).
ALLOWED = ("rnnlib.activations",)

VISIBLE = """\
# Autograder test, {points} point{plural}, read-only: the self-check must say PASS (and
# {hidden}).
_result = {call}
"""
#: The end of the visible part, after the hidden part: the kernel reports to the grader
#: even when the self-check fails (what the kernel did is judged all the same).
ASSERT = """\
assert _result.passed, "not yet: see the verdict above"
"""

HIDDEN = """\
### BEGIN HIDDEN TESTS
# Runs the answer on new inputs and hands what it returns to the grader, which compares
# outside this kernel (rnn_autograder.py in the course directory).
import base64 as _hidden_base64, builtins as _hidden_builtins, zlib as _hidden_zlib
_hidden_builtins.exec(
    _hidden_zlib.decompress(_hidden_base64.b64decode("{blob}")),
    {"__builtins__": _hidden_builtins, "__name__": "rnn_hidden_test"},
)  # {token}
### END HIDDEN TESTS
"""
