"""The grader's side of the hidden tests, in nbgrader's own process (out of the student's reach).

``grading/generate.py`` copies this file into the course directory as ``rnn_autograder.py``
and writes the expected values to ``autograder_keys/<notebook>.pickle`` next to it;
``nbgrader_config.py`` there plugs in the two preprocessors below. Nothing of this module
runs in the student's kernel; the part that does is ``grading/kernel.py``.

- :class:`HiddenTests`, run by ``nbgrader autograde`` right after the notebook has been
  executed: reads each test cell's report (what the answer returned on the hidden
  inputs, what it called), compares the outputs with the expected values using this
  process's numpy, checks the notebook's code (:func:`code_findings`), and leaves in the
  cell either a line "Hidden tests: passed ..." or an error that says why the test
  failed (nbgrader scores a test cell with an error 0). The report itself is removed.
- :class:`FeedbackWithoutHiddenTests`, run by ``nbgrader generate_feedback``: the
  feedback shows each test cell's visible part, the self-check's verdict, the hidden
  tests' one-line verdict and the score, never the hidden part's code or data.
- :class:`ExerciseCsvExportPlugin`, the per-exercise export: one row per student, one
  column per graded exercise. From the course directory (``build/assignments/``)::

      nbgrader export --exporter rnn_autograder.ExerciseCsvExportPlugin --to by-exercise.csv

  (``--assignment`` and ``--student`` select as in nbgrader's own export).

How integrity is judged (:func:`code_findings`): from what the code *does*, read with
``ast``, never from words. A name of the notebook is followed to the module it was
imported from, so ``solutions = [...]``, ``note = "my solutions to the exercises"``, a
comment or a markdown cell are nothing; ``exercises.ZERO_INPUT_CHOICES`` (read from the
checkers), ``import solutions``, ``numpy.max = ...`` (replacing a function the grading
relies on) and ``sys.setprofile`` (switching off the tracing) are findings. A finding in a
cell that defines or uses an answer costs that answer; one in a cell that mentions no
answer costs every answer of the notebook. These are checks on the submitted notebook,
not a sandbox: a value worked out elsewhere and typed in cannot be told from one worked
out by hand.
"""

from __future__ import annotations

import ast
import base64
import binascii
import io
import pickle
import time
from pathlib import Path
from queue import Empty

import numpy as np

try:  # the grader runs in nbgrader's environment; the unit tests need only the functions
    from nbgrader.plugins import ExportPlugin
    from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
except ImportError:  # pragma: no cover - the course's own venv has no nbgrader
    ExportPlugin = ClearHiddenTests = NbGraderPreprocessor = object

MIME = "application/vnd.rnn-course.hidden-report+json"  # as grading/kernel.py
KEYS = "autograder_keys"
#: Modules an answer must not read from (the checkers' data and the reference answers).
FLAGGED = ("rnnlib.exercises", "solutions")
#: Packages whose attributes a submission must not replace.
TAMPER_ROOTS = frozenset(
    "builtins numpy math sys threading rnnlib solutions IPython ipykernel pickle base64 zlib "
    "hashlib json io warnings contextlib types functools operator inspect importlib".split()
)
TRACING = frozenset({"setprofile", "settrace", "setprofile_all_threads", "settrace_all_threads"})
#: Attributes of a module that say what it is, not what it holds: reading them is fine.
HARMLESS = frozenset({"__name__", "__doc__", "__file__", "__all__", "__path__", "__package__"})
#: Nodes that open a scope of their own (a parameter named ``exercises`` is not the module).
SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


# ------------------------------------------------------------------- the code's findings


class Finding:
    """Something a cell's code does that costs points: ``kind`` use, tamper or tracing."""

    def __init__(self, kind, path, where, line):
        self.kind, self.path, self.where, self.line = kind, path, where, line

    def message(self, everywhere):
        what = {
            "use": f"uses {self.path}: an answer must be your own work, not read from the "
            "course's checkers or reference answers (calling exercises.check_...() is fine)",
            "tamper": f"replaces {self.path}: a submission may not change numpy, the "
            "builtins or the modules the grading uses (the hidden tests compare outside "
            "your kernel, so it would not change their verdict anyway)",
            "tracing": f"uses {self.path}, which would switch off the grader's tracing of "
            "what your answer calls",
        }[self.kind]
        where = f"{self.where}, a cell that defines no answer," if everywhere else self.where
        return f"{where} {what} (`{self.line}`)"


def _python(source):
    """A cell's source as plain Python (IPython's magics and shell escapes translated)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - without IPython, or on odd input, read it as it is
        return source


def _flagged(path):
    return any(path == m or path.startswith(m + ".") for m in FLAGGED)


def _allowed(path, allowed):
    """Is this use of rnnlib.exercises one the release makes itself (or a self-check)?"""
    if path.split(".")[0] == "solutions":
        return False
    if path == "rnnlib.exercises" or path in allowed or path.split(".")[-1] in HARMLESS:
        return True
    rest = path[len("rnnlib.exercises.") :].split(".")
    return len(rest) <= 2 and rest[-1].startswith("check_")


def _resolve(node, aliases):
    """The dotted path a name or attribute chain stands for, or None (not a module's)."""
    if isinstance(node, ast.Name):
        return "builtins" if node.id == "__builtins__" else aliases.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, aliases)
        return f"{base}.{node.attr}" if base else None
    if (
        isinstance(node, ast.Call)
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        func = node.func.id if isinstance(node.func, ast.Name) else None
        if func == "__import__":
            return node.args[0].value.split(".")[0]
        if (_resolve(node.func, aliases) or "").endswith("import_module"):
            return node.args[0].value
    return None


def _bind(tree, aliases):
    """Names bound to modules (or their attributes) by this cell's imports and assignments."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    aliases[a.asname] = a.name
                else:
                    aliases[a.name.split(".")[0]] = a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for a in node.names:
                if a.name != "*":
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    for _ in range(2):  # e.g. ``e = exercises`` then ``f = e.attention``
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name):
                    path = _resolve(node.value, aliases)
                    if path:
                        aliases[target.id] = path
    # A module-level name bound to anything else is no module any more.
    for node in _module_level(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            if isinstance(node.targets[0], ast.Name) and _resolve(node.value, aliases):
                continue
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            for n in ast.walk(node) if not isinstance(node, SCOPES) else ():
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                    aliases.pop(n.id, None)


def _module_level(tree):
    """The statements of a cell outside any function (those bind the notebook's names)."""
    todo = list(tree.body)
    while todo:
        node = todo.pop(0)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            todo.extend(getattr(node, field, None) or [])


def _shadowed(tree):
    """Name nodes that are local to a function, lambda or comprehension of the cell."""
    out = set()
    for scope in ast.walk(tree):
        if not isinstance(scope, SCOPES):
            continue
        local = set()
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            a = scope.args
            params = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
            local |= {p.arg for p in params if p is not None}
        declared = {n for g in ast.walk(scope) if isinstance(g, ast.Global) for n in g.names}
        stores = [n for n in ast.walk(scope) if isinstance(n, ast.Name)]
        local |= {n.id for n in stores if isinstance(n.ctx, ast.Store)}
        local -= declared
        out |= {n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id in local}
    return out


def _cell_findings(tree, aliases, allowed, lines, where):
    """The findings of one cell (a parsed tree)."""
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    shadowed = _shadowed(tree)

    def resolve(node):
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value
        return None if root in shadowed else _resolve(node, aliases)

    out = []

    def add(kind, path, node):
        k = getattr(node, "lineno", 1) - 1
        line = lines[k].strip() if 0 <= k < len(lines) else ""
        out.append(Finding(kind, path, where, line[:70] + ("..." if len(line) > 70 else "")))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "solutions":
                    add("use", a.name, node)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for a in node.names:
                path = f"{node.module}.{a.name}"
                if a.name == "*" and _flagged(node.module):
                    add("use", f"everything of {node.module}", node)
                elif _flagged(path) and not _allowed(path, allowed):
                    add("use", path, node)
                elif a.name in TRACING:
                    add("tracing", path, node)
        elif isinstance(node, (ast.Name, ast.Attribute)):
            parent = parents.get(node)
            if isinstance(parent, ast.Attribute) and parent.value is node:
                continue  # only the whole chain counts: exercises.check_x, not exercises
            path = resolve(node)
            if isinstance(node.ctx, (ast.Store, ast.Del)):
                if isinstance(node, ast.Name) and node.id == "__builtins__":
                    add("tamper", "__builtins__", node)
                elif isinstance(node, ast.Attribute):
                    base = resolve(node.value)
                    if base and base.split(".")[0] in TAMPER_ROOTS:
                        add("tamper", f"{base}.{node.attr}", node)
                continue
            if not path:
                continue
            if _flagged(path) and not _allowed(path, allowed):
                add("use", path, node)
            elif path.split(".")[-1] in TRACING:
                add("tracing", path, node)
            elif path.split(".")[0] in TAMPER_ROOTS and (
                path.startswith("sys.modules.") or ".__dict__." in path
            ):
                add("tamper", path, node)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
            value = node.value
            if (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id == "vars"
                and value.args
            ):
                path = resolve(value.args[0])
                path = path and f"{path}.__dict__"
            else:
                path = resolve(value)
            if path and (path == "sys.modules" or path.endswith(".__dict__")):
                if path.split(".")[0] in TAMPER_ROOTS:
                    add("tamper", path, node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            func, first = node.func.id, resolve(node.args[0])
            name = node.args[1] if len(node.args) > 1 else None
            attr = name.value if isinstance(name, ast.Constant) else None
            if first and func in ("getattr", "vars") and _flagged(first):
                if not (isinstance(attr, str) and _allowed(f"{first}.{attr}", allowed)):
                    add("use", f"{first} (read with {func})", node)
            if first and func in ("setattr", "delattr") and first.split(".")[0] in TAMPER_ROOTS:
                add("tamper", f"{first}.{attr if isinstance(attr, str) else '...'}", node)
            if first and func == "getattr" and attr in TRACING:
                add("tracing", f"{first}.{attr}", node)
        if isinstance(node, ast.Call):
            path = resolve(node)  # __import__("...") or import_module("...")
            if path and _flagged(path) and not _allowed(path, allowed):
                add("use", path, node)
    return out


def code_findings(cells, answers, allowed=()):
    """What the notebook's code does that costs points, per answer.

    Parameters
    ----------
    cells : list of (str, str)
        The code cells in order: a label for messages ("In [12]") and the source.
    answers : list of str
        The graded answers' names (``my_...``).
    allowed : collection of str
        Uses of ``rnnlib.exercises`` that the release itself makes (``rnnlib.exercises.
        tiny_rnn_T3``); the self-checks ``rnnlib.exercises[.module].check_*`` always are.

    Returns
    -------
    dict
        ``{answer: [(message, Finding), ...]}`` for every answer (empty lists when clean).
    """
    aliases, allowed = {}, set(allowed)
    out = {a: [] for a in answers}
    for where, source in cells:
        text = _python(source)
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue  # it did not run either
        _bind(tree, aliases)
        found = _cell_findings(tree, aliases, allowed, text.splitlines(), where)
        if not found:
            continue
        named = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        named |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        mentioned = [a for a in answers if a in named]
        for a in mentioned or answers:
            for f in found:
                message = f.message(not mentioned)
                if message not in [m for m, _ in out[a]]:
                    out[a].append((message, f))
    return out


def flagged_uses(sources):
    """The uses of ``rnnlib.exercises`` in some code (the release's: what a submission may).

    Parameters
    ----------
    sources : list of str

    Returns
    -------
    set of str
        Dotted paths, such as ``"rnnlib.exercises.tiny_rnn_T3"``.
    """
    cells = [(f"cell {k}", s) for k, s in enumerate(sources)]
    found = code_findings(cells, ["_"], allowed=())["_"]
    return {f.path for _, f in found if f.kind == "use" and f.path.startswith("rnnlib.")}


# --------------------------------------------------------------- the outputs' verdict


class Other:
    """An output that is neither a number, a string, a container nor a numeric array."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<a {self.type_name}>"


class Wrong(Exception):
    """A hidden test's verdict: the message says what is wrong."""


def decode(data):
    """The inverse of ``grading/kernel.py``'s ``encode``, in this process (no pickle).

    Parameters
    ----------
    data : dict
        ``{"t": kind, "v": value}`` from a report.

    Returns
    -------
    object
        None, bool, int, float, str, tuple, list, dict, numpy.ndarray or :class:`Other`.
    """
    if not isinstance(data, dict):
        return Other(type(data).__name__)
    t, v = data.get("t"), data.get("v")
    try:
        if t == "none":
            return None
        if t == "bool":
            return bool(v)
        if t == "int":
            return int(str(v)[:100])
        if t == "float":
            return float(str(v))
        if t == "str":
            return str(v)
        if t in ("tuple", "list"):
            items = [decode(x) for x in list(v)]
            return tuple(items) if t == "tuple" else items
        if t == "dict":
            out = {}
            for k, x in list(v):
                key = decode(k)
                try:
                    out[key] = decode(x)
                except TypeError:  # an unhashable key
                    pass
            return out
        if t == "array":
            raw = base64.b64decode(str(v), validate=True)
            return np.load(io.BytesIO(raw), allow_pickle=False)
    except (ValueError, TypeError, binascii.Error, OSError):
        pass
    return Other(str(data.get("type", t)))


def _rel_error(a, b, what):
    try:
        a = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(f"{what} is not a number or an array of numbers") from None
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise Wrong(f"{what} has shape {a.shape}, expected {b.shape}")
    if not np.all(np.isfinite(a)):
        raise Wrong(f"{what} holds NaN or inf")
    denom = np.max(np.abs(a) + np.abs(b)) if a.size else 0.0
    return 0.0 if denom == 0 else float(np.max(np.abs(a - b)) / denom)


def _number(x):
    if isinstance(x, str):
        return float(x.strip())
    if isinstance(x, (bool, int, float, np.ndarray)) and np.size(x) == 1:
        return float(np.asarray(x).reshape(-1)[0])
    raise Wrong("not a number")


def _judge_value(test, answer):
    kind, want = test["kind"], test["expected"]
    if answer is None:
        raise Wrong("not answered")
    try:
        if kind == "number":
            got = _number(answer)
            if not abs(got - want) / (abs(got) + abs(want)) <= test["tol"]:
                raise Wrong("wrong value")
        elif kind == "whole":
            got = _number(answer)
            if got != int(got) or abs(int(got) - want) > test.get("slack", 0):
                raise Wrong("wrong value")
        elif kind == "wholes":
            got = tuple(_number(a) for a in answer)
            if got != tuple(float(w) for w in want):
                raise Wrong("wrong values")
        elif kind == "numbers":
            got = [_number(a) for a in answer]
            if len(got) != len(want):
                raise Wrong("wrong number of values")
            for g, w in zip(got, want, strict=True):
                if not abs(g - w) / (abs(g) + abs(w)) <= test["tol"]:
                    raise Wrong("wrong value")
        elif kind == "word":
            word = " ".join(str(answer).strip().lower().split())
            if not any(word.startswith(a) for a in test["accept"]):
                raise Wrong("wrong answer")
        elif kind == "words":
            for key, w in want.items():
                said = str(answer.get(key)).strip().lower()
                if not said.startswith(w[:5]):
                    raise Wrong(f"wrong answer for {key}")
        elif kind == "shapes":
            for key, w in want.items():
                if tuple(int(s) for s in answer[key]) != tuple(w):
                    raise Wrong(f"wrong shape for {key}")
        else:
            raise Wrong(f"unknown kind {kind}")
    except Wrong:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError):
        raise Wrong("wrong type of answer") from None


def _judge_case(test, k, case, want, inputs):
    got = decode(case.get("out"))
    tol = test["tol"]
    if test["compare"] == "gamma":
        if not (isinstance(got, (tuple, list)) and len(got) == 2):
            raise Wrong(f"case {k}: return (gamma, a_star)")
        gamma, a_star = got
        if abs(_number(a_star)) > 0.025:
            raise Wrong("a_star is not where sigmoid' is largest")
        if _rel_error(gamma, want[0], "gamma") > tol:
            raise Wrong("gamma is wrong")
        return
    if test["compare"] == "in_place":
        if _rel_error(got, want[0], "the returned norm") > tol:
            raise Wrong(f"case {k}: the returned norm is wrong")
        after = decode(case.get("after"))
        for key, w in want[1].items():
            if not isinstance(after, dict) or key not in after:
                raise Wrong(f"case {k}: {key} is missing after clipping")
            if _rel_error(after[key], w, key) > tol:
                raise Wrong(f"case {k}: {key} after clipping is wrong")
        return
    n = len(want)
    if n == 1:
        got = (got[0],) if isinstance(got, tuple) and got else (got,)
    elif not isinstance(got, (tuple, list)):
        raise Wrong(f"case {k}: return {n} outputs")
    elif not (len(got) == n or (len(got) > n and not test["exact_count"])):
        raise Wrong(f"case {k}: return {n} outputs, not {len(got)}")
    for j, (g, w) in enumerate(zip(got, want, strict=False)):
        if _rel_error(g, w, f"case {k}: output {j + 1}") > tol:
            raise Wrong(f"case {k}: output {j + 1} is wrong")
    if test.get("inputs_kept", True):
        for a, b in zip(case.get("inputs") or [], inputs, strict=False):
            if b is not None and a != b:
                raise Wrong(f"case {k}: the answer changed its input")


def judge(test, report):
    """The verdict on one report: None when the answer is right, else what is wrong.

    Parameters
    ----------
    test : dict
        The key of one test (``grading/generate.py``): mode, tolerances, expected values.
    report : dict
        What the kernel published (``grading/kernel.py``).

    Returns
    -------
    str or None
    """
    try:
        if report.get("error"):
            raise Wrong(str(report["error"])[:500])
        if test["mode"] == "value":
            _judge_value(test, decode(report.get("value")))
            return None
        if report.get("own"):
            raise Wrong(f"this answer is rnnlib's own function ({report['own']}): write your own")
        cases = report.get("cases") or []
        if len(cases) != len(test["cases"]):
            raise Wrong("the hidden tests did not run on every input")
        for k, (case, (want, inputs)) in enumerate(zip(cases, test["cases"], strict=True), start=1):
            if not case.get("intact", False):
                raise Wrong("the answer switched off the grader's tracing")
            if case.get("calls"):
                raise Wrong(
                    f"this answer calls {case['calls'][0]} while it runs: write your own "
                    f"code (of rnnlib, only {', '.join(test['allowed'])} may be called)"
                )
            _judge_case(test, k, case, want, inputs)
    except Wrong as e:
        return str(e)
    return None


# ------------------------------------------------------------------ the notebook's verdict


def _is_test(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution")


def _hidden_lines(source):
    lines, inside, out = source.split("\n"), False, []
    for line in lines:
        if BEGIN in line:
            inside = True
        elif END in line:
            inside = False
        elif inside and len(line.strip()) >= 12:
            out.append(line.strip()[:60])
    return out


def scrub(cell):
    """Remove from a test cell's outputs the report and any traceback quoting hidden code."""
    hidden = _hidden_lines(cell.get("source", ""))
    kept = []
    for output in cell.get("outputs", []):
        if MIME in output.get("data", {}):
            continue
        if output.get("output_type") == "error" and any(
            h in line for line in output.get("traceback", []) for h in hidden
        ):
            first = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()
            output["traceback"] = [first]
        kept.append(output)
    cell["outputs"] = kept


def _error(reasons):
    """The error output that makes nbgrader score a test 0, with the reasons as its text."""
    evalue = reasons[0] if len(reasons) == 1 else f"0 points, for {len(reasons)} reasons:"
    lines = [f"- {r}" for r in reasons] if len(reasons) > 1 else []
    return {
        "output_type": "error",
        "ename": "HiddenTestFailed",
        "evalue": evalue,
        "traceback": [f"HiddenTestFailed: {evalue}", *lines],
    }


def grade_notebook(nb, keys):
    """Decide every hidden test of an executed notebook, in place; return the reasons.

    Parameters
    ----------
    nb : nbformat.NotebookNode or dict
        The executed submission.
    keys : dict
        The notebook's keys from ``autograder_keys/<notebook>.pickle``.

    Returns
    -------
    dict
        ``{grade_id: [reason, ...]}``: empty for a test that passed. A test that had
        already failed in the kernel (its self-check said FAIL, or the cell was stopped)
        scores 0 anyway; its reasons are only those of the code and the kernel's report.

    Notes
    -----
    Every test cell gets one more output: "Hidden tests: right on N new inputs." or an
    error ``HiddenTestFailed`` (nbgrader scores a test cell with an error 0) listing the
    reasons. A function replaced in the kernel by code the static check cannot read
    (``exec``) is charged to the first test whose report shows it.
    """
    from nbformat import from_dict

    code = [c for c in nb["cells"] if c.get("cell_type") == "code"]
    cells = []
    for k, c in enumerate(code, start=1):
        count = c.get("execution_count")
        cells.append((f"In [{count}]" if count else f"code cell {k}", c.get("source", "")))
    findings = code_findings(cells, keys["answers"], keys["allowed_uses"])
    tampered = {f.path for found in findings.values() for _, f in found if f.kind == "tamper"}
    seen_replaced, verdicts = set(), {}
    for cell in code:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        test = keys["tests"].get(gid) if _is_test(cell) else None
        if test is None:
            continue
        reports = [
            o["data"][MIME]
            for o in cell.get("outputs", [])
            if MIME in o.get("data", {})
            and isinstance(o["data"][MIME], dict)
            and o["data"][MIME].get("token") == keys["token"]
            and o["data"][MIME].get("grade_id") == gid
        ]
        failed = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        scrub(cell)
        reasons = [m for m, _ in findings.get(test["answer"], [])]
        if len(reports) == 1:
            replaced = set(reports[0].get("replaced") or [])
            new = sorted(replaced - seen_replaced - tampered)
            seen_replaced |= replaced
            if new:
                reasons.append(
                    f"{', '.join(new)} replaced in the kernel before this test, by code "
                    "the grader cannot read (such as exec): a submission may not change "
                    "numpy, the builtins or the modules the grading uses"
                )
        if failed:  # 0 already (the self-check said no, or the cell was stopped)
            if reasons:  # say why all the same
                cell["outputs"].append(from_dict(_error(reasons)))
            verdicts[gid] = reasons
            continue
        if len(reports) != 1:
            reasons.append(
                "the hidden tests did not report" if not reports else "more than one report"
            )
        else:
            verdict = judge(test, reports[0])
            if verdict:
                reasons.append(f"on new inputs: {verdict}")
        verdicts[gid] = reasons
        if reasons:
            cell["outputs"].append(from_dict(_error(reasons)))
        else:
            what = (
                f"right on {len(test['cases'])} new inputs"
                if test["mode"] == "function"
                else "the value is right"
            )
            cell["outputs"].append(
                from_dict(
                    {"output_type": "stream", "name": "stdout", "text": f"Hidden tests: {what}.\n"}
                )
            )
    return verdicts


def load_keys(notebook, root=None):
    """The keys of one notebook of the course, or None (not one of the course's)."""
    path = Path(root or Path(__file__).resolve().parent) / KEYS / f"{notebook}.pickle"
    if not path.exists():
        return None
    with path.open("rb") as f:
        return pickle.load(f)  # noqa: S301 - written by grading/generate.py, the instructor's


# ---------------------------------------------------------------------- nbgrader plugins


class HiddenTests(NbGraderPreprocessor):
    """nbgrader preprocessor: the hidden tests' verdicts, decided outside the kernel.

    In ``Autograde.autograde_preprocessors`` right after ``Execute`` (see
    :func:`autograde_preprocessors`).
    """

    def preprocess(self, nb, resources):
        name = resources.get("nbgrader", {}).get("notebook")
        keys = load_keys(name) if name else None
        if keys is not None:
            grade_notebook(nb, keys)
        return nb, resources


class FeedbackWithoutHiddenTests(NbGraderPreprocessor):
    """nbgrader preprocessor for ``generate_feedback``: test cells without their hidden part.

    Keeps the visible part, the self-check's verdict, the hidden tests' verdict line and
    the score; removes the code between the hidden-test markers, the report, and any
    traceback line that quotes the hidden code.
    """

    def preprocess(self, nb, resources):
        clear = ClearHiddenTests(parent=self.parent)
        for cell in nb.cells:
            if _is_test(cell):
                scrub(cell)
                clear._remove_hidden_test_region(cell)
        return nb, resources


try:  # jupyter_client comes with jupyter, in both environments
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.channels import AsyncZMQSocketChannel
    from traitlets import Type
except ImportError:  # pragma: no cover
    AsyncKernelClient = AsyncZMQSocketChannel = object

    def Type(klass):  # noqa: N802 - stands in for traitlets.Type
        return klass


#: The longest single wait of :class:`SlicedWaitChannel` for a kernel's message (seconds).
WAIT_SLICE = 0.5


class SlicedWaitChannel(AsyncZMQSocketChannel):
    """A kernel channel that waits for a message in slices of :data:`WAIT_SLICE` seconds.

    nbgrader (through nbclient) waits for a cell's ``execute_reply`` with one
    ``poll(timeout=Execute.timeout)`` on the shell socket. pyzmq's asyncio poll watches
    the socket's edge-triggered file descriptor, and a wake-up can be missed; the reply
    is then found only when the poll times out, and re-checks the socket once. Measured
    here: 2 of 60 submissions waited exactly 120 s (``Execute.timeout``) after a widget
    cell whose outputs and ``idle`` status had all arrived, with no timeout error logged
    (the same as jupyter/nbclient#312). Waiting in short slices bounds a missed wake-up to
    one slice, and a real timeout still comes after ``timeout`` seconds in all.
    """

    async def get_msg(self, timeout=None):
        """The next message, as :meth:`AsyncZMQSocketChannel.get_msg`; ``queue.Empty`` after
        ``timeout`` seconds without one (never, for None)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = WAIT_SLICE if deadline is None else deadline - time.monotonic()
            try:
                return await super().get_msg(timeout=max(0.0, min(WAIT_SLICE, left)))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise


class SlicedWaitKernelClient(AsyncKernelClient):
    """nbclient's kernel client with :class:`SlicedWaitChannel` for the shell and iopub
    channels; nbgrader's configuration selects it with
    ``c.AsyncKernelManager.client_class = "rnn_autograder.SlicedWaitKernelClient"``."""

    shell_channel_class = Type(SlicedWaitChannel)
    iopub_channel_class = Type(SlicedWaitChannel)


def autograde_preprocessors():
    """nbgrader's autograde pipeline with :class:`HiddenTests` right after ``Execute``."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    at = steps.index(Execute) + 1
    return [*steps[:at], HiddenTests, *steps[at:]]


def feedback_preprocessors():
    """nbgrader's feedback pipeline with :class:`FeedbackWithoutHiddenTests` added."""
    from nbgrader.converters import GenerateFeedback

    steps = GenerateFeedback.class_traits()["preprocessors"].default()
    return [*steps, FeedbackWithoutHiddenTests]


class ExerciseCsvExportPlugin(ExportPlugin):
    """``nbgrader export`` with one column per graded exercise (and a total).

    From the course directory::

        nbgrader export --exporter rnn_autograder.ExerciseCsvExportPlugin --to by-exercise.csv

    One row per student of the gradebook: ``student_id``, ``last_name``, ``first_name``,
    ``email``, then ``<assignment>:<exercise>`` for every test cell of every assignment
    (in notebook order), then ``total``. A score is the cell's final score (the
    autograder's, or the instructor's manual override); an assignment the student did
    not submit leaves its cells empty (and counts 0 in the total). ``--assignment`` and
    ``--student`` select as in nbgrader's CSV export; the default file is
    ``grades-by-exercise.csv``.
    """

    def _order(self, assignment, notebook, names):
        root = Path(getattr(getattr(self.parent, "coursedir", None), "root", ".") or ".")
        path = root / "source" / assignment / f"{notebook}.ipynb"
        try:
            import nbformat

            ids = [
                c.metadata.get("nbgrader", {}).get("grade_id")
                for c in nbformat.read(path, as_version=4).cells
            ]
        except Exception:  # noqa: BLE001 - no source at hand: by name
            ids = []
        return sorted(names, key=lambda n: (ids.index(n) if n in ids else len(ids), n))

    def export(self, gradebook):
        import csv

        from nbgrader.api import MissingEntry

        dest = self.to or "grades-by-exercise.csv"
        assignments = [str(a) for a in self.assignment]
        students = [str(s) for s in self.student]
        columns = []  # (assignment, notebook, grade_id)
        for a in sorted(gradebook.assignments, key=lambda a: a.name):
            if assignments and a.name not in assignments:
                continue
            for nb in sorted(a.notebooks, key=lambda n: n.name):
                names = [g.name for g in nb.grade_cells if g.cell_type == "code"]
                for gid in self._order(a.name, nb.name, names):
                    columns.append((a.name, nb.name, gid))
        header = ["student_id", "last_name", "first_name", "email"]
        header += [f"{a}:{g.removeprefix('test_')}" for a, _, g in columns] + ["total"]
        self.log.info("Exporting one column per exercise (%d) to %s", len(columns), dest)
        with open(dest, "w", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(header)
            for s in sorted(gradebook.students, key=lambda s: s.id):
                if students and s.id not in students:
                    continue
                row, total = [s.id, s.last_name or "", s.first_name or "", s.email or ""], 0.0
                for a, nb, gid in columns:
                    try:
                        score = gradebook.find_grade(gid, nb, a, s.id).score
                    except MissingEntry:
                        row.append("")
                        continue
                    total += float(score or 0.0)
                    row.append(f"{float(score or 0.0):g}")
                out.writerow([*row, f"{total:g}"])
