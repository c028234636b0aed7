"""The source of the autograder test cells (visible part and hidden part).

Generated once per exercise by ``grading/generate.py``. The hidden part carries its
own inputs and expected values (a base64 blob made at build time from ``solutions/``)
and its own comparison, and imports nothing from ``rnnlib``: a learner can import,
read or monkeypatch ``rnnlib.exercises`` without changing what the grade compares with.
It gives zero when

- the answer (a function) calls into ``rnnlib`` other than :data:`ALLOWED` while it
  runs (a ``sys.setprofile`` hook), or is itself a function of ``rnnlib``;
- the code of the submission uses ``rnnlib.exercises`` or ``solutions`` beyond what
  the release itself uses (a scan of the kernel's input history ``In``), in a cell that
  mentions this answer, or in a cell that mentions no answer at all;
- the answer's value, or its outputs on the fresh inputs, differ from the reference.
"""

from __future__ import annotations

#: Modules of rnnlib an answer may call: the activations (sigmoid, tanh and friends).
ALLOWED = ("rnnlib.activations",)

VISIBLE = """\
# Autograder test, {points} point{plural}, read-only: the self-check must say PASS (and
# {hidden}).
_result = {call}
assert _result.passed, "not yet: see the verdict above"
"""

HIDDEN = """\
### BEGIN HIDDEN TESTS
def _grade(_blob):
    import base64, io, pickle, re, sys, tokenize, zlib
    from collections import namedtuple

    import numpy as np

    spec = pickle.loads(zlib.decompress(base64.b64decode(_blob)))
    ip = get_ipython()  # noqa: F821
    ns = ip.user_ns

    # 1. The submission's code: rnnlib.exercises / solutions only as the release uses them.
    history = ip.history_manager.input_hist_raw
    assert len(history) >= ip.execution_count, "the kernel's input history was changed"
    flagged = re.compile(r"\\b(exercises|solutions|setprofile|settrace)\\b")
    names = "|".join([r"(\\w+\\.)?check_\\w+", *map(re.escape, spec["given_names"])])
    allowed = re.compile(r"\\bexercises\\.(" + names + r")\\b")
    mentions = re.compile(r"\\b(" + "|".join(map(re.escape, spec["answers"])) + r")\\b")
    mine = re.compile(r"\\b" + re.escape(spec["answer"]) + r"\\b")
    for source in history:
        if spec["token"] in source:
            continue  # a test cell of the grader itself
        lines = source.splitlines()
        try:  # comments do not count
            for t in tokenize.generate_tokens(io.StringIO(source).readline):
                if t.type == tokenize.COMMENT:
                    lines[t.start[0] - 1] = lines[t.start[0] - 1][: t.start[1]]
        except (tokenize.TokenError, SyntaxError, IndexError):
            pass
        new = "\\n".join(x for x in lines if x.strip() not in spec["given_lines"])
        if flagged.search(allowed.sub("", new)) and (mine.search(source)
                                                     or not mentions.search(source)):
            raise AssertionError("this answer's code uses rnnlib.exercises or solutions (or "
                                 "the grader's tracing): write your own")

    answer = ns.get(spec["answer"])

    def rel_error(a, b):
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        assert a.shape == b.shape, f"shape {a.shape}, expected {b.shape}"
        assert np.all(np.isfinite(a)), "NaN or inf in the answer"
        denom = np.max(np.abs(a) + np.abs(b))
        return 0.0 if denom == 0 else float(np.max(np.abs(a - b)) / denom)

    if spec["mode"] == "value":
        kind, want = spec["kind"], spec["expected"]
        assert answer is not None, "not answered"
        if kind == "number":
            got = float(str(answer).strip()) if isinstance(answer, str) else float(answer)
            assert abs(got - want) / (abs(got) + abs(want)) <= spec["tol"], "wrong value"
        elif kind == "whole":
            got = float(str(answer).strip()) if isinstance(answer, str) else float(answer)
            assert got == int(got) and abs(int(got) - want) <= spec.get("slack", 0), "wrong value"
        elif kind == "wholes":
            got = tuple(float(str(a).strip()) for a in answer)
            assert got == tuple(float(w) for w in want), "wrong values"
        elif kind == "numbers":
            got = [float(str(a).strip()) if isinstance(a, str) else float(a) for a in answer]
            assert len(got) == len(want), "wrong number of values"
            for g, w in zip(got, want):
                assert abs(g - w) / (abs(g) + abs(w)) <= spec["tol"], "wrong value"
        elif kind == "word":
            word = " ".join(str(answer).strip().lower().split())
            assert any(word.startswith(a) for a in spec["accept"]), "wrong answer"
        elif kind == "words":
            for key, w in want.items():
                said = str(answer.get(key)).strip().lower()
                assert said.startswith(w[:5]), f"wrong answer for {key}"
        elif kind == "shapes":
            for key, w in want.items():
                assert tuple(int(s) for s in answer[key]) == tuple(w), f"wrong shape for {key}"
        else:
            raise AssertionError(f"unknown kind {kind}")
        return

    # 2. A function: never rnnlib's own, and it calls nothing of rnnlib while it runs.
    assert callable(answer), f"{spec['answer']} is not a function"
    def _module(f):
        return str(getattr(f, "__module__", "") or "")
    for f in (answer, getattr(answer, "func", None), getattr(answer, "__wrapped__", None)):
        if f is not None:
            assert not _module(f).startswith(("rnnlib", "solutions")), \\
                "this answer is rnnlib's own function: write your own"

    def rebuild(arg):
        if isinstance(arg, tuple) and len(arg) == 4 and arg[0] == "__wrap__":
            _, kind, what, data = arg
            if kind == "namedtuple":
                return namedtuple(what[0], what[1])(*[np.copy(d) for d in data])
            scope = {"np": np}
            exec(data, scope)
            return scope[what]
        if isinstance(arg, np.ndarray):
            return arg.copy()
        if isinstance(arg, dict):
            return {k: np.copy(v) for k, v in arg.items()}
        return arg

    def traced_call(args):
        calls = []
        def hook(frame, event, arg):
            if event == "call":
                name = str(frame.f_globals.get("__name__", ""))
                if ((name == "rnnlib" or name.startswith(("rnnlib.", "solutions")))
                        and not name.startswith(spec["allowed"])):
                    calls.append(f"{name}.{frame.f_code.co_name}")
        before = sys.getprofile()
        sys.setprofile(hook)
        try:
            out = answer(*args)
        finally:
            intact = sys.getprofile() is hook
            sys.setprofile(before)
        assert intact, "the answer switched off the grader's tracing"
        assert not calls, f"this answer calls {calls[0]} of rnnlib: write your own code"
        return out

    tol = spec["tol"]
    for k, (args, want) in enumerate(spec["cases"]):
        args = [rebuild(a) for a in args]
        got = traced_call(args)
        if spec["compare"] == "gamma":
            gamma, a_star = got
            assert abs(float(a_star)) <= 0.025, "a_star is not where sigmoid' is largest"
            assert rel_error(gamma, want[0]) <= tol, "gamma is wrong"
        elif spec["compare"] == "in_place":
            assert rel_error(float(got), want[0]) <= tol, f"case {k}: the returned norm is wrong"
            for key, w in want[1].items():
                assert rel_error(args[0][key], w) <= tol, f"case {k}: {key} after clipping is wrong"
        else:
            n = len(want)
            if n == 1:
                got = (got[0],) if isinstance(got, tuple) and got else (got,)
            else:
                assert isinstance(got, (tuple, list)), f"case {k}: return {n} outputs"
                assert len(got) == n or (len(got) > n and not spec["exact_count"]), \\
                    f"case {k}: return {n} outputs"
            for j, (g, w) in enumerate(zip(got, want)):
                assert rel_error(g, w) <= tol, f"case {k}: output {j + 1} is wrong"
            for a, b in zip(args, spec["cases"][k][0]):
                if isinstance(b, np.ndarray) and spec.get("inputs_kept", True):
                    assert np.array_equal(a, b), f"case {k}: the answer changed its input"


_grade("{blob}")  # {token}
### END HIDDEN TESTS
"""
