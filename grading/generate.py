"""Generate the nbgrader course directory from the course notebooks and ``solutions/``.

Run by ``grading/build.py`` with the classroom environment's Python (it needs numpy,
nbformat, nbgrader and rnnlib); from the repository's root::

    python -m grading.generate --out build/assignments [--seed N] [--only 01 03]

Writes ``<out>/nbgrader_config.py``, ``<out>/source/<notebook>/<notebook>.ipynb`` (the
course notebook with the reference solutions between nbgrader's solution markers and an
autograder test cell after each graded exercise, points from ``grading/table.py``) and
then runs ``nbgrader generate_assignment``, which writes the student versions to
``<out>/release/``. The course's own notebooks are only read.

The grader's half of the hidden tests goes next to them: ``<out>/rnn_autograder.py`` (a
copy of ``grading/autograder.py``, plugged into nbgrader by ``nbgrader_config.py``) and
``<out>/autograder_keys/<notebook>.pickle``, the expected values, which the test cells do
not carry (the student's kernel never sees them). Keep ``autograder_keys/`` with the
course directory and out of the release.
"""

from __future__ import annotations

import argparse
import ast
import base64
import copy
import importlib
import inspect
import pickle
import re
import secrets
import shutil
import sys
import textwrap
import zlib
from pathlib import Path

import nbformat
import numpy as np

from grading import autograder, kernel
from grading import cases as case_makers
from grading.hidden import ALLOWED, ASSERT, HIDDEN, VISIBLE
from grading.table import EXERCISES, REDACT, notebooks

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
#: A self-check's call, ``exercises.check_x(`` or, for a later notebook, ``exercises.gru.check_x(``.
CHECK_CALL = re.compile(r"\bexercises\.(\w+\.)?check_\w+\(")
DETAILS = re.compile(r"\n*<details>.*?</details>\n*", re.S)
RELATIVE = re.compile(r"\.\./(data|images)/([\w.-]+)")
#: A folder of the repository as a path object, ``Path("..") / "data"``: it becomes the
#: assignment's own ``data/``, with the files that the same cell names (an f-string's
#: fields read as wildcards: ``f"dates-{kind}-seed{s}.npz"``) copied into it.
FOLDER = re.compile(r'Path\("\.\."\)\s*/\s*"(data|images)"')
FILE_NAME = re.compile(r'"([\w.{}-]+\.\w+)"')
#: ``DATA = Path("..") / "data"``: a later cell that writes ``DATA / f"copy-{kind}.npz"``
#: names files of that folder too.
FOLDER_NAME = re.compile(r'^(\w+)\s*=\s*Path\("\.\."\)\s*/\s*"(data|images)"', re.M)
#: A markdown link to another notebook of the course, which is not in the assignment.
SIBLING = re.compile(r"\[([^\]]+)\]\(\d\d-[\w-]+\.ipynb(?:#[\w-]*)?\)")

CONFIG = """\
# nbgrader's configuration for the course's graded assignments (made by grading/build.py).
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "rnn-from-scratch"
c.CourseDirectory.root = "."
# The release keeps the course's stubs (raise NotImplementedError, or a value set to
# None) right after each removed solution, so nbgrader's own stub is an empty line.
c.ClearSolutions.code_stub = {"python": ""}
# Autograding runs whole notebooks; a cell that loops is stopped after this many seconds,
# reported as an error (that test scores 0), and grading goes on with the next cell.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
# The hidden tests are decided here, in nbgrader's process, not in the student's kernel
# (rnn_autograder.py and the expected values in autograder_keys/, next to this file), and
# the feedback leaves their code and data out. Per-exercise export:
#   nbgrader export --exporter rnn_autograder.ExerciseCsvExportPlugin --to by-exercise.csv
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(globals().get("__file__", "nbgrader_config.py")).resolve().parent))
import rnn_autograder  # noqa: E402

c.Autograde.autograde_preprocessors = rnn_autograder.autograde_preprocessors()
# A missed wake-up of the kernel client could hold a finished cell for Execute.timeout
# seconds; this client waits in half-second slices (see rnn_autograder.SlicedWaitChannel).
c.AsyncKernelManager.client_class = "rnn_autograder.SlicedWaitKernelClient"
c.GenerateFeedback.preprocessors = rnn_autograder.feedback_preprocessors()
"""


def notebook_path(prefix):
    (path,) = sorted(NOTEBOOKS.glob(f"{prefix}-*.ipynb"))
    return path


# ------------------------------------------------------------ reference solutions


def _solution_object(spec):
    """``module.name`` or ``module.func(arg)`` of ``solutions/`` -> (object, call args)."""
    m = re.fullmatch(r"(\w+)\.(\w+)(?:\((\w+)\))?", spec)
    module = importlib.import_module(f"solutions.{m[1]}")
    return module, getattr(module, m[2]), m[3]


def _problem(name):
    """The fixed problem a value answer is about (its arguments for the solution)."""
    if name == "tiny_rnn_T3":
        from rnnlib.exercises import tiny_rnn_T3

        return tiny_rnn_T3()
    if name == "vocab_size":
        from rnnlib.data import CharVocab

        return CharVocab((REPO / "data" / "python-reference.txt").read_text("utf-8")).size
    raise ValueError(f"unknown problem {name!r} in grading/table.py")


def solution_value(spec):
    _, obj, arg = _solution_object(spec)
    value = obj(_problem(arg)) if arg else obj
    if isinstance(value, np.generic):
        value = value.item()
    return value


def _function_source(func):
    """Source of a module-level function, dedented."""
    return textwrap.dedent(inspect.getsource(func))


def solution_body(spec, params=None):
    """The body of a reference solution (docstring dropped), with the module-level
    helpers it calls defined first, as code for the inside of the learner's function."""
    module, func, _ = _solution_object(spec)
    tree = ast.parse(_function_source(func)).body[0]
    got = [a.arg for a in tree.args.args]
    if params is not None and got != params:
        raise ValueError(f"{spec}: parameters {got}, the notebook's function has {params}")
    helpers, seen = [], set()

    def collect(node):
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and n.id not in seen:
                obj = getattr(module, n.id, None)
                if (
                    inspect.isfunction(obj)
                    and obj.__module__ == module.__name__
                    and obj is not func
                ):
                    seen.add(n.id)
                    sub = ast.parse(_function_source(obj)).body[0]
                    collect(sub)
                    helpers.append(_function_source(obj))

    collect(tree)
    lines = _function_source(func).splitlines()
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    code = textwrap.dedent("\n".join(lines[body[0].lineno - 1 :]))
    return "\n".join(helpers) + ("\n" if helpers else "") + code


# -------------------------------------------------------------------- hidden data


def _portable(arg):
    if isinstance(arg, case_makers.Wrap):
        return ("__wrap__", arg.kind, arg.spec, arg.data)
    return arg


def _copy(arg):
    if isinstance(arg, np.ndarray):
        return arg.copy()
    if isinstance(arg, dict):
        return {k: np.copy(v) for k, v in arg.items()}
    return case_makers.unwrap(arg)


def function_cases(ex, rng):
    """The hidden inputs of a function exercise and, for the grader, what they must give.

    Returns
    -------
    list of (tuple, tuple, list)
        Per case: the arguments (as the kernel rebuilds them), the expected outputs, and
        the fingerprints of the array arguments (to tell whether the answer changed them).
    """
    _, func, _ = _solution_object(ex.solution)
    out = []
    for args in getattr(case_makers, ex.hidden["cases"])(rng):
        call = [_copy(a) for a in args]
        result = func(*call)
        compare = ex.hidden.get("compare", "outputs")
        if compare == "in_place":
            expected = (float(result), {k: np.copy(v) for k, v in call[0].items()})
        elif compare == "gamma":
            expected = tuple(float(r) for r in result)
        else:
            expected = result if isinstance(result, tuple) else (result,)
            expected = tuple(np.asarray(e, dtype=np.float64) for e in expected)
        prints = [kernel.fingerprint(a) if isinstance(a, np.ndarray) else None for a in args]
        out.append((tuple(_portable(a) for a in args), expected, prints))
    return out


# ------------------------------------------------------------------- notebooks


def hidden_source(spec):
    """The hidden part of a test cell: ``grading/kernel.py`` and its inputs, compressed."""
    data = base64.b64encode(pickle.dumps(spec, protocol=4)).decode("ascii")
    program = (
        inspect.getsource(kernel)
        + "\n\nimport base64 as _b64, pickle as _pickle\n"
        + f"run(_pickle.loads(_b64.b64decode('{data}')))\n"
    )
    return base64.b64encode(zlib.compress(program.encode("utf-8"), 9)).decode("ascii")


def _defines(source, name):
    return re.search(rf"^(def {name}\(|{name}\s*=)", source, re.M) is not None


def _nbgrader(cell, grade_id, *, solution=False, points=None):
    meta = {
        "grade": points is not None,
        "grade_id": grade_id,
        "locked": points is not None,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def _insert_function_solution(source, ex):
    """Put the solution of ``ex`` between the markers, before the stub's ``raise``."""
    lines = source.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"def {ex.answer}("))
    params = [a.arg for a in ast.parse(lines[start] + "\n    pass").body[0].args.args]
    stub = next(
        i
        for i in range(start + 1, len(lines))
        if lines[i].lstrip().startswith("raise NotImplementedError")
    )
    indent = lines[stub][: len(lines[stub]) - len(lines[stub].lstrip())]
    body = solution_body(ex.solution, params).splitlines()
    given = {ln.strip() for ln in lines[start + 1 : stub]}
    while body and body[0].strip() in given:  # e.g. the unpacking of a cache, already there
        body = body[1:]
    body = textwrap.indent("\n".join(body), indent)
    block = [f"{indent}### BEGIN SOLUTION", *body.splitlines(), f"{indent}### END SOLUTION"]
    return "\n".join(lines[:stub] + block + lines[stub:])


def _insert_value_solution(source, ex):
    value = solution_value(ex.solution)
    return source.rstrip("\n") + f"\n### BEGIN SOLUTION\n{ex.answer} = {value!r}\n### END SOLUTION"


def build_source(prefix, out, rng, token):
    """Write ``source/<name>/<name>.ipynb`` (and the files it reads); return its name."""
    path = notebook_path(prefix)
    name = path.stem
    folder = out / "source" / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    nb = nbformat.read(path, as_version=4)
    rows = [e for e in EXERCISES if e.notebook == prefix]
    cells = []
    redact = {pattern: 0 for pattern, _ in REDACT.get(prefix, [])}
    folder_names = {}  # a variable that holds Path("..") / "data": "data"
    for cell in nb.cells:
        if "navigation" in cell.metadata.get("tags", []):
            continue  # links to the other notebooks, which are not in this assignment
        cell = copy.deepcopy(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        for m in RELATIVE.finditer(cell.source):
            (folder / m[1]).mkdir(exist_ok=True)
            shutil.copy2(REPO / m[1] / m[2], folder / m[1] / m[2])
        cell.source = RELATIVE.sub(r"\1/\2", cell.source)
        folder_names.update({m[1]: m[2] for m in FOLDER_NAME.finditer(cell.source)})
        subs = {m[1] for m in FOLDER.finditer(cell.source)}
        subs |= {sub for v, sub in folder_names.items() if re.search(rf"\b{v}\s*/", cell.source)}
        for sub in subs:
            (folder / sub).mkdir(exist_ok=True)
            for pattern in FILE_NAME.findall(cell.source):
                for f in (REPO / sub).glob(re.sub(r"\{[^}]*\}", "*", pattern)):
                    shutil.copy2(f, folder / sub / f.name)
        cell.source = FOLDER.sub(r'Path("\1")', cell.source)
        if cell.cell_type == "markdown":
            cell.source = DETAILS.sub("\n\n", cell.source).strip("\n")
            cell.source = SIBLING.sub(r"\1", cell.source)
            for pattern, replacement in REDACT.get(prefix, []):
                cell.source, n = re.subn(pattern, replacement, cell.source, flags=re.S)
                redact[pattern] += n
            if not cell.source.strip():
                continue
        cells.append(cell)
    for pattern, n in redact.items():
        if n != 1:
            raise ValueError(f"{name}: REDACT pattern {pattern!r} matched {n} times, not once")

    # Split "answer + check" cells, then mark answers and add a test after each check.
    for ex in rows:
        check = [
            k
            for k, c in enumerate(cells)
            if c.cell_type == "code" and f"exercises.{ex.checker}(" in c.source
        ]
        if len(check) != 1:
            raise ValueError(f"{name}: {len(check)} cells call exercises.{ex.checker}")
        k = check[0]
        if _defines(cells[k].source, ex.answer):
            lines = cells[k].source.splitlines()
            cut = next(i for i, ln in enumerate(lines) if CHECK_CALL.search(ln))
            answer_cell = copy.deepcopy(cells[k])
            answer_cell.source = "\n".join(lines[:cut]).rstrip("\n")
            check_cell = nbformat.v4.new_code_cell("\n".join(lines[cut:]))
            cells[k : k + 1] = [answer_cell, check_cell]
            k += 1
        answer_at = [
            j
            for j in range(k)
            if cells[j].cell_type == "code" and _defines(cells[j].source, ex.answer)
        ]
        if not answer_at:
            raise ValueError(f"{name}: no cell defines {ex.answer} before its check")
        a = answer_at[-1]
        if ex.hidden["mode"] == "function":
            cells[a].source = _insert_function_solution(cells[a].source, ex)
        else:
            cells[a].source = _insert_value_solution(cells[a].source, ex)
        answers = [e.answer for e in rows if _defines(cells[a].source, e.answer)]
        _nbgrader(cells[a], "answer_" + "_".join(answers), solution=True)

    # What the release's own code uses of rnnlib.exercises (allowed in a submission),
    # e.g. exercises.tiny_rnn_T3() or exercises.gru.HALF_LIFE_BIAS.
    given = [
        re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "", c.source, flags=re.S)
        for c in cells
        if c.cell_type == "code"
    ]
    keys = {
        "token": token,
        "answers": [e.answer for e in rows],
        "allowed_uses": sorted(autograder.flagged_uses(given)),
        "tests": {},
    }

    for ex in rows:
        # The test cell takes the place of the self-check's call: it shows the verdict, then
        # fails unless it is PASS (one verdict per exercise, as in the course).
        k = next(
            j
            for j, c in enumerate(cells)
            if c.cell_type == "code"
            and f"exercises.{ex.checker}(" in c.source
            and "nbgrader" not in c.metadata
        )
        lines = cells[k].source.splitlines()
        at_line = next(i for i, ln in enumerate(lines) if f"exercises.{ex.checker}(" in ln)
        call = lines[at_line].strip().rstrip(";")
        call = call[call.index("exercises.") :]
        rest = lines[:at_line] + lines[at_line + 1 :]
        if any(ln.strip() for ln in rest):
            cells[k].source = "\n".join(rest).strip("\n")
            at = k + 1
        else:
            del cells[k]
            at = k
        while at < len(cells) and cells[at].metadata.get("nbgrader", {}).get("grade"):
            at += 1  # after the tests already put there (two checks in one cell)
        title = ex.answer.removeprefix("my_")
        test = {"answer": ex.answer, "allowed": ALLOWED, **ex.hidden}
        spec = {  # what the kernel gets: the inputs, never the expected values
            "grade_id": f"test_{title}",
            "token": token,
            "answer": ex.answer,
            "mode": ex.hidden["mode"],
            "allowed": ALLOWED,
            "compare": ex.hidden.get("compare", "outputs"),
        }
        if ex.hidden["mode"] == "function":
            made = function_cases(ex, rng)
            spec["cases"] = [args for args, _, _ in made]
            test["cases"] = [(expected, prints) for _, expected, prints in made]
            test.setdefault("compare", "outputs")
            test.setdefault("exact_count", False)
        else:
            test["expected"] = solution_value(ex.solution)
        keys["tests"][spec["grade_id"]] = test
        hidden = (
            "hidden tests try your function on new inputs"
            if ex.hidden["mode"] == "function"
            else "a hidden test checks the value"
        )
        source = VISIBLE.format(
            points=ex.points, plural="s" * (ex.points != 1), call=call, hidden=hidden
        )
        source += HIDDEN.replace("{blob}", hidden_source(spec)).replace("{token}", token)
        source += ASSERT
        test = nbformat.v4.new_code_cell(source)
        test.metadata["tags"] = ["raises-exception"]  # Run All goes on past a failing test
        _nbgrader(test, f"test_{title}", points=ex.points)
        cells.insert(at, test)

    nb.cells = cells
    nbformat.validate(nb)
    nbformat.write(nb, folder / f"{name}.ipynb")
    (out / autograder.KEYS).mkdir(exist_ok=True)
    with (out / autograder.KEYS / f"{name}.pickle").open("wb") as f:
        pickle.dump(keys, f, protocol=4)
    return name


def generate_assignments(out, names):
    """``nbgrader generate_assignment`` for each name, in ``out`` (the course root)."""
    import os

    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    # nbgrader runs its database migrations with the `alembic` command of its environment
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    here = os.getcwd()
    os.chdir(out)
    try:
        config = Config()
        config_file = out / "nbgrader_config.py"
        exec(config_file.read_text(), {"get_config": lambda: config, "__file__": str(config_file)})
        api = NbGraderAPI(config=config)
        for name in names:
            result = api.generate_assignment(name, force=True, create=True)
            if not result["success"]:
                raise SystemExit(
                    f"nbgrader generate_assignment {name} failed:\n"
                    f"{result.get('error')}\n{result.get('log')}"
                )
    finally:
        os.chdir(here)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(REPO / "build" / "assignments"))
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the hidden tests' inputs (default: a fresh one)",
    )
    parser.add_argument("--only", nargs="*", default=None, help="notebook prefixes (01 03)")
    parser.add_argument(
        "--no-release",
        action="store_true",
        help="write source/ only, without nbgrader generate_assignment",
    )
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(CONFIG)
    shutil.copy2(REPO / "grading" / "autograder.py", out / "rnn_autograder.py")
    seed = args.seed if args.seed is not None else secrets.randbits(32)
    rng = np.random.default_rng(seed)
    token = secrets.token_hex(8)
    prefixes = args.only or notebooks()
    names = [build_source(p, out, rng, token) for p in prefixes]
    if not args.no_release:
        generate_assignments(out, names)
    print(f"{len(names)} assignments in {out} (hidden tests' seed {seed}):")
    for p, name in zip(prefixes, names, strict=True):
        rows = [e for e in EXERCISES if e.notebook == p]
        print(f"  {name}: {len(rows)} graded exercises, {sum(e.points for e in rows)} points")
    print(
        f"  source/ (instructor versions, with solutions and hidden tests), release/ "
        f"(student versions){'' if not args.no_release else ' not written (--no-release)'}"
    )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
