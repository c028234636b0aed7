"""The grader's own checks (grading/autograder.py, grading/kernel.py), without nbgrader: fast.

What the code does costs points, never the words in it; the verdict on the outputs is
taken in this process from data, so nothing a kernel replaces reaches it.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from answers import HONEST_CELL, PATCHES

from grading import autograder, kernel

SETUP = "import numpy as np\nimport rnnlib\nfrom rnnlib import cells, exercises, sequence"
ANSWERS = ["my_step", "my_weight"]


def findings(*cells, allowed=()):
    labelled = [(f"In [{k}]", s) for k, s in enumerate([SETUP, *cells], start=1)]
    got = autograder.code_findings(labelled, ANSWERS, allowed)
    return {a: [m for m, _ in v] for a, v in got.items()}


def test_words_in_strings_names_comments_and_parameters_are_nothing():
    clean = findings(
        HONEST_CELL,
        'note = "my solutions to the exercises"  # rnnlib.exercises, solutions/\n'
        "my_weight = 0.25\n_my_solutions = {'exercises': 1}",
        "def my_step(exercises, solutions=None):\n    return exercises.count(solutions)",
        "exercises.check_step(my_step)\nexercises.attention.check_weight(my_weight)\n"
        "help(exercises)\nprint(exercises.__doc__)",
        "%timeit my_step([1], 1)\n!echo solutions",
    )
    assert clean == {"my_step": [], "my_weight": []}


def test_reading_the_checkers_or_solutions_costs_the_answer_that_does_it():
    got = findings(
        "my_weight = 1 / exercises.attention.UNIFORM_LENGTH",
        "def my_step(x):\n    return x",
    )
    assert got["my_step"] == []
    assert "uses rnnlib.exercises.attention.UNIFORM_LENGTH" in got["my_weight"][0]


@pytest.mark.parametrize(
    "code",
    [
        "e = exercises\nmy_weight = e.UNIFORM_WEIGHT",
        "from rnnlib.exercises.attention import UNIFORM_LENGTH as n\nmy_weight = 1 / n",
        "from rnnlib.exercises import *\nmy_weight = UNIFORM_WEIGHT",
        'my_weight = getattr(exercises, "UNIFORM_WEIGHT")',
        'my_weight = __import__("solutions.attention").attention.UNIFORM_WEIGHT',
        "import solutions\nmy_weight = solutions.attention.UNIFORM_WEIGHT",
    ],
)
def test_ways_of_reading_the_checkers_are_seen(code):
    assert findings(code)["my_weight"], code


@pytest.mark.parametrize("function", list(PATCHES))
def test_replacing_numpy_or_builtins_costs_that_cells_answers(function):
    got = findings(f"my_weight = 0.5\n{PATCHES[function]}", "def my_step(x):\n    return x")
    assert got["my_step"] == []
    assert [f"replaces {function}" in m for m in got["my_weight"]] == [True]


@pytest.mark.parametrize(
    "code",
    [
        'setattr(np, "max", min)',
        'vars(np)["max"] = min',
        "np.__dict__['max'] = min",
        "import sys\nsys.modules['numpy'] = None",
        "__builtins__.abs = min",
        "import sys\nsys.setprofile(None)",
        "from sys import settrace",
        "cells.rnn_step_forward = min",
    ],
)
def test_a_cell_without_an_answer_that_tampers_costs_every_answer(code):
    got = findings(code)
    assert got["my_step"] and got["my_weight"], code
    assert "a cell that defines no answer" in got["my_step"][0]


def test_the_release_own_uses_are_allowed():
    code = "tiny = exercises.tiny_rnn_T3()\nmy_weight = tiny.h[0]"
    assert findings(code)["my_weight"]
    assert findings(code, allowed={"rnnlib.exercises.tiny_rnn_T3"})["my_weight"] == []
    uses = autograder.flagged_uses(
        [SETUP, "tiny = exercises.tiny_rnn_T3()", "x = exercises.check_a"]
    )
    assert uses == {"rnnlib.exercises.tiny_rnn_T3"}


def _function_test(cases, tol=1e-10):
    spec = {
        "grade_id": "test_step",
        "token": "t",
        "answer": "my_step",
        "mode": "function",
        "allowed": ("rnnlib.activations",),
        "compare": "outputs",
        "cases": [args for args, _ in cases],
    }
    test = {
        "answer": "my_step",
        "mode": "function",
        "compare": "outputs",
        "tol": tol,
        "exact_count": False,
        "allowed": ("rnnlib.activations",),
        "cases": [
            (want, [kernel.fingerprint(a) if isinstance(a, np.ndarray) else None for a in args])
            for args, want in cases
        ],
    }
    return spec, test


def test_the_verdict_is_taken_from_data_with_this_process_numpy(monkeypatch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    spec, test = _function_test([((x,), (np.tanh(x),))])
    right = kernel.run(spec, publish=lambda r: None, namespace={"my_step": np.tanh})
    zeros = kernel.run(spec, publish=lambda r: None, namespace={"my_step": np.zeros_like})
    assert autograder.judge(test, right) is None
    assert autograder.judge(test, zeros) == "case 1: output 1 is wrong"
    # the report is data: what a kernel did to its numpy cannot reach the comparison
    import json

    assert json.loads(json.dumps(zeros)) == zeros


def test_an_answer_that_calls_rnnlib_or_changes_its_input_scores_zero():
    from rnnlib import activations, cells

    rng = np.random.default_rng(1)
    args = tuple(rng.standard_normal(s) for s in [(2, 3), (2, 4), (3, 4), (4, 4), (4,)])
    spec, test = _function_test([(args, (cells.rnn_step_forward(*args)[0],))])

    def by_rnnlib(*a):
        return cells.rnn_step_forward(*a)

    def changes(x, h, Wx, Wh, b):
        out = cells.rnn_step_forward(x, h, Wx, Wh, b)[0]
        x[...] = 0
        return out

    def mine(x, h, Wx, Wh, b):
        return activations.tanh(x @ Wx + h @ Wh + b)

    said = autograder.judge(test, kernel.run(spec, lambda r: None, {"my_step": by_rnnlib}))
    assert said.startswith("this answer calls rnnlib.cells.rnn_step_forward")
    said = autograder.judge(
        test, kernel.run(spec, lambda r: None, {"my_step": cells.rnn_step_forward})
    )
    assert said.startswith("this answer is rnnlib's own function")
    test["allowed"] = spec["allowed"] = ("rnnlib.",)  # allow everything: see the input check
    said = autograder.judge(test, kernel.run(spec, lambda r: None, {"my_step": changes}))
    assert said == "case 1: the answer changed its input"
    spec["allowed"] = ("rnnlib.activations",)
    assert autograder.judge(test, kernel.run(spec, lambda r: None, {"my_step": mine})) is None


@pytest.mark.parametrize(
    ("kind", "options", "answer", "ok"),
    [
        ("number", {"tol": 1e-3}, 0.25, True),
        ("number", {"tol": 1e-3}, " 0.25 ", True),
        ("number", {"tol": 1e-3}, 1 / 12, False),
        ("word", {"accept": ["shrink"]}, "Shrinks", True),
        ("word", {"accept": ["shrink"]}, None, False),
        ("whole", {}, np.int64(583), True),
        ("shapes", {}, {"Wx": (3, 16)}, True),
        ("shapes", {}, {"Wx": (16, 3)}, False),
    ],
)
def test_value_answers_are_judged_from_their_reported_value(kind, options, answer, ok):
    expected = {"number": 0.25, "word": None, "whole": 583, "shapes": {"Wx": (3, 16)}}[kind]
    test = {"mode": "value", "kind": kind, "expected": expected, **options}
    spec = {"grade_id": "g", "token": "t", "answer": "my_weight", "mode": "value"}
    report = kernel.run(spec, publish=lambda r: None, namespace={"my_weight": answer})
    assert (autograder.judge(test, report) is None) == ok


def test_functions_replaced_by_a_cell_or_exec_are_listed(monkeypatch):
    import builtins

    assert kernel.replaced_functions() == []  # nothing of numpy, the builtins... by default
    scope = {}
    exec("f = lambda *a, **k: 0.0", scope)  # noqa: S102 - what a cheat would do
    monkeypatch.setattr(np, "max", scope["f"])
    monkeypatch.setattr(builtins, "abs", scope["f"])
    assert kernel.replaced_functions() == ["builtins.abs", "numpy.max"]


def test_scrub_removes_the_report_and_tracebacks_quoting_hidden_code():
    source = f"_result = 1\n{autograder.BEGIN}\nsecret_function_call(blob)\n{autograder.END}\n"
    cell = {
        "source": source,
        "outputs": [
            {"output_type": "display_data", "data": {autograder.MIME: {}}},
            {
                "output_type": "error",
                "ename": "KeyboardInterrupt",
                "evalue": "",
                "traceback": ["----> 3 secret_function_call(blob)"],
            },
        ],
    }
    autograder.scrub(cell)
    assert cell["outputs"] == [
        {
            "output_type": "error",
            "ename": "KeyboardInterrupt",
            "evalue": "",
            "traceback": ["KeyboardInterrupt:"],
        }
    ]


def test_a_function_from_a_file_the_submission_wrote_is_listed(monkeypatch, tmp_path):
    # A cheat can write a module to disk and import it: its code has a real file, but not
    # one of this Python's installation folders. (And a course cloned under /tmp, as CI
    # does, is no reason to list numpy's own functions: the first assert above.)
    (tmp_path / "helper_mod.py").write_text("def f(*a, **k):\n    return 0.0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import helper_mod

    monkeypatch.setattr(np, "max", helper_mod.f)
    assert kernel.replaced_functions() == ["numpy.max"]


class _FakeSocket:
    """A socket whose poll finds a message only on the ``ready_on``-th call."""

    def __init__(self, ready_on):
        self.ready_on, self.timeouts = ready_on, []

    async def poll(self, timeout_ms):
        self.timeouts.append(timeout_ms)
        return int(len(self.timeouts) == self.ready_on)


def _channel(ready_on):
    channel = autograder.SlicedWaitChannel.__new__(autograder.SlicedWaitChannel)
    channel.socket = _FakeSocket(ready_on)

    async def recv():
        return {"msg_type": "execute_reply"}

    channel._recv = recv
    return channel


def test_kernel_waits_come_in_slices_so_a_missed_wake_up_costs_one_slice():
    import asyncio
    from queue import Empty

    slice_ms = int(autograder.WAIT_SLICE * 1000)
    channel = _channel(ready_on=3)  # the message is seen by the third poll
    assert asyncio.run(channel.get_msg(timeout=120))["msg_type"] == "execute_reply"
    assert channel.socket.timeouts == [slice_ms] * 3  # never one 120 s poll
    forever = _channel(ready_on=5)
    assert asyncio.run(forever.get_msg(timeout=None))["msg_type"] == "execute_reply"
    assert forever.socket.timeouts == [slice_ms] * 5
    never = _channel(ready_on=0)
    started = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(never.get_msg(timeout=0.05))
    assert time.monotonic() - started < 5  # a real timeout still ends the wait
    assert all(t <= slice_ms for t in never.socket.timeouts)


def test_nbgrader_config_selects_the_sliced_wait_client():
    from grading.generate import CONFIG

    assert 'client_class = "rnn_autograder.SlicedWaitKernelClient"' in CONFIG
    client = autograder.SlicedWaitKernelClient()
    assert client.shell_channel_class is autograder.SlicedWaitChannel
    assert client.iopub_channel_class is autograder.SlicedWaitChannel
