"""The part of a hidden test that runs in the student's kernel: it reports, it never judges.

``grading/generate.py`` embeds this module's source in every autograder test cell, and the
cell runs it with ``exec`` in fresh globals (so that a name the notebook defines, such as
``abs = ...`` or ``max = 3``, does not reach it). :func:`run`

1. calls the answer on the hidden test's new inputs (a function answer) or reads it (a
   value answer);
2. records, with a ``sys.setprofile`` hook, every function of ``rnnlib`` (outside
   ``spec["allowed"]``) or ``solutions`` that the answer calls while it runs, and whether
   the answer is itself one of them;
3. lists the functions of the modules in :data:`WATCHED` that a notebook cell has
   replaced (``numpy.max = ...``), found by what they are, not by their name;
4. publishes all of it as data, one display output of type :data:`MIME`.

The expected values never enter the kernel. The grader, ``grading/autograder.py`` running
in nbgrader's own process, reads the report, compares the outputs with its own numpy,
decides, and removes the report from the notebook. So a submission that replaces
``numpy.allclose`` or ``builtins.abs`` in its kernel cannot change a verdict; it can only
change what it reports about itself, which the grader checks against the notebook's code
(``autograder.code_findings``).

Standard library and numpy only; everything is imported inside functions, because the
module runs from its source text.
"""

from __future__ import annotations

#: The display output that carries the report from the kernel to the grader.
MIME = "application/vnd.rnn-course.hidden-report+json"

#: Modules whose functions a submission must leave alone: numpy and the modules the
#: hidden test and the grader's report rely on.
WATCHED = (
    "builtins",
    "numpy",
    "numpy.linalg",
    "math",
    "sys",
    "threading",
    "pickle",
    "base64",
    "zlib",
    "hashlib",
    "json",
    "io",
    "warnings",
    "contextlib",
    "IPython.display",
)

#: Limits of what a report carries (an answer that returns a huge array is wrong anyway).
MAX_ITEMS = 64
MAX_ELEMENTS = 1_000_000


def fingerprint(array):
    """A short digest of an array's shape, dtype and bytes (did the answer change its input?).

    Parameters
    ----------
    array : numpy.ndarray

    Returns
    -------
    str
        The same string for arrays with the same shape, dtype and values.
    """
    import hashlib

    import numpy as np

    a = np.ascontiguousarray(array)
    return f"{a.shape}|{a.dtype.str}|{hashlib.sha256(a.tobytes()).hexdigest()[:32]}"


def encode(obj, depth=0):
    """An answer's output as JSON-ready data: arrays as ``.npy`` bytes in base64.

    Parameters
    ----------
    obj : object
        What the answer returned (or one of its parts).
    depth : int
        Nesting depth so far; deeper structures are reported by their type only.

    Returns
    -------
    dict
        ``{"t": kind, "v": value}``; ``kind`` is none, bool, int, float, str, tuple,
        list, dict, array or other (``"type"``: the type's name).
    """
    import base64
    import io

    import numpy as np

    if depth > 4:
        return {"t": "other", "type": type(obj).__name__}
    if obj is None:
        return {"t": "none"}
    if isinstance(obj, (bool, np.bool_)):
        return {"t": "bool", "v": bool(obj)}
    if isinstance(obj, (int, np.integer)):
        return {"t": "int", "v": str(int(obj))}
    if isinstance(obj, (float, np.floating)):
        return {"t": "float", "v": repr(float(obj))}
    if isinstance(obj, str):
        return {"t": "str", "v": str(obj)[:2000]}
    if isinstance(obj, (tuple, list)):
        kind = "tuple" if isinstance(obj, tuple) else "list"
        items = [encode(x, depth + 1) for x in list(obj)[:MAX_ITEMS]]
        return {"t": kind, "v": items, "n": len(obj)}
    if isinstance(obj, dict):
        pairs = [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in list(obj.items())]
        return {"t": "dict", "v": pairs[:MAX_ITEMS]}
    if isinstance(obj, np.ndarray) and obj.dtype.kind in "biuf" and obj.size <= MAX_ELEMENTS:
        buffer = io.BytesIO()
        np.save(buffer, np.array(obj, dtype=obj.dtype, subok=False), allow_pickle=False)
        return {"t": "array", "v": base64.b64encode(buffer.getvalue()).decode("ascii")}
    return {"t": "other", "type": type(obj).__name__}


def replaced_functions():
    """Functions of :data:`WATCHED` modules that a notebook cell or ``exec`` defined.

    A library function's code comes from a ``.py`` file of an installation folder of this
    Python (its standard library or site-packages, as ``sysconfig`` names them; or a
    frozen module of the standard library, ``<frozen io>``). One written in a notebook
    cell comes from the kernel's cell files (``.../ipykernel_<pid>/...``, or module
    ``__main__``), one made by ``exec`` from ``<string>``, one imported from a file the
    submission wrote from anywhere else. Where the course itself lies does not matter
    (a clone under ``/tmp`` is as good as any).

    Returns
    -------
    list of str
        Dotted names, such as ``"numpy.max"`` or ``"builtins.abs"``.
    """
    import os
    import sys
    import sysconfig

    paths = sysconfig.get_paths()
    roots = {
        os.path.realpath(paths[key])
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if paths.get(key)
    }
    out = []
    for name in WATCHED:
        module = sys.modules.get(name)
        if module is None:
            continue
        for attr, obj in list(vars(module).items()):
            code = getattr(obj, "__code__", None)
            if code is None or not hasattr(code, "co_filename"):
                continue
            path = str(code.co_filename)
            real = os.path.realpath(path) if os.path.isabs(path) else ""
            library = path.startswith("<frozen ") or (
                os.path.exists(path)
                and any(real.startswith(root + os.sep) for root in roots)
                and "ipykernel_" not in path
            )
            if not library or getattr(obj, "__module__", None) == "__main__":
                out.append(f"{name}.{attr}")
    return sorted(out)


def _rebuild(arg):
    """An input as the answer gets it: a fresh copy; a named tuple or function rebuilt."""
    from collections import namedtuple

    import numpy as np

    if isinstance(arg, tuple) and len(arg) == 4 and arg[0] == "__wrap__":
        _, kind, what, data = arg
        if kind == "namedtuple":
            return namedtuple(what[0], what[1])(*[np.copy(d) for d in data])
        scope = {"np": np}
        exec(data, scope)  # noqa: S102 - the course's own source, made at build time
        return scope[what]
    if isinstance(arg, np.ndarray):
        return arg.copy()
    if isinstance(arg, dict):
        return {k: np.copy(v) for k, v in arg.items()}
    return arg


def _module_of(f):
    return str(getattr(f, "__module__", "") or "")


def _traced_call(answer, args, allowed):
    """Call ``answer(*args)``; return (output, rnnlib calls, tracing intact, warnings)."""
    import contextlib
    import io
    import sys
    import threading
    import warnings

    calls = []

    def hook(frame, event, arg):
        if event == "call":
            name = str(frame.f_globals.get("__name__", ""))
            if (name == "rnnlib" or name.startswith(("rnnlib.", "solutions"))) and not (
                name.startswith(allowed)
            ):
                calls.append(f"{name}.{frame.f_code.co_name}")

    before = sys.getprofile()
    before_threads = threading.getprofile()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("always")
        threading.setprofile(hook)
        sys.setprofile(hook)
        try:
            out = answer(*args)
        finally:
            intact = sys.getprofile() is hook
            sys.setprofile(before)
            threading.setprofile(before_threads)
    said = sorted({f"{w.category.__name__}: {w.message}"[:200] for w in caught})
    return out, calls, intact, said


def run(spec, publish=None, namespace=None):
    """Run one hidden test in this kernel and publish its report.

    Parameters
    ----------
    spec : dict
        From the build: ``grade_id``, ``token``, ``answer`` (the name), ``mode``
        ("function" or "value") and, for a function, ``cases`` (a list of argument
        lists), ``compare`` and ``allowed`` (modules of rnnlib the answer may call).
    publish : callable, optional
        ``publish(report)``; by default a display output of type :data:`MIME`.
    namespace : dict, optional
        Where the answer is defined; by default the kernel's user namespace.

    Returns
    -------
    dict
        The report: ``grade_id``, ``token``, ``answer``, ``error`` (None or a message),
        ``own`` (the answer's module when it is rnnlib's or solutions'), ``value`` or
        ``cases`` (per case: ``out``, ``calls``, ``intact``, ``inputs`` fingerprints,
        ``after`` for an in-place answer, ``warnings``) and ``replaced``.
    """
    import numpy as np

    if namespace is None:
        from IPython import get_ipython

        namespace = get_ipython().user_ns
    report = {
        "grade_id": spec["grade_id"],
        "token": spec["token"],
        "answer": spec["answer"],
        "error": None,
        "own": None,
        "cases": [],
    }
    answer = namespace.get(spec["answer"])
    try:
        if spec["mode"] == "value":
            report["value"] = encode(answer)
        elif not callable(answer):
            report["error"] = f"{spec['answer']} is not a function"
        else:
            for f in (answer, getattr(answer, "func", None), getattr(answer, "__wrapped__", None)):
                if f is not None and _module_of(f).startswith(("rnnlib", "solutions")):
                    name = getattr(f, "__qualname__", getattr(f, "__name__", "?"))
                    report["own"] = f"{_module_of(f)}.{name}"
            for k, args in enumerate(spec["cases"]):
                args = [_rebuild(a) for a in args]
                try:
                    out, calls, intact, said = _traced_call(answer, args, tuple(spec["allowed"]))
                except KeyboardInterrupt:
                    report["error"] = f"case {k + 1}: stopped, it ran longer than the time limit"
                    break
                except Exception as e:  # the answer's own error, reported as its message
                    report["error"] = f"case {k + 1}: your function raised {type(e).__name__}: {e}"
                    break
                case = {
                    "out": encode(out),
                    "calls": calls[:20],
                    "intact": intact,
                    "inputs": [fingerprint(a) if isinstance(a, np.ndarray) else None for a in args],
                    "warnings": said[:5],
                }
                if spec.get("compare") == "in_place":
                    case["after"] = encode(args[0])
                report["cases"].append(case)
    except Exception as e:  # noqa: BLE001 - a broken kernel is reported, never raised
        report["error"] = f"the hidden test could not run: {type(e).__name__}: {e}"[:500]
    report["replaced"] = replaced_functions()
    if publish is None:
        from IPython.display import publish_display_data

        text = "(the hidden tests' report, read and removed by the grader)"
        publish_display_data({MIME: report, "text/plain": text})
    else:
        publish(report)
    return report
