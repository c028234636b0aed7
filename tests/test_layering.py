"""The layers of rnnlib: no import runs back up, and no module uses another's private name.

Read from the source (ast), without importing anything, so a lazy import inside a
function counts too. The rules, as CONTRIBUTING.md states them:

1. Every module of ``rnnlib`` is in exactly one layer of ``LAYERS``; a module imports
   only from its own layer or the layers below. ``widgets`` and ``exercises`` (the top)
   do not import each other either: a computation both need lives in a core module.
2. No module imports a name that starts with ``_`` from another module, or reads one
   as an attribute (``models._softmax_temperature``).
3. A private module (``rnnlib._validate``, ``rnnlib.widgets._core``) is imported only
   from inside its own package.
4. A module of ``rnnlib/widgets`` holds controls only: it exports only names it
   defines (no plot function re-exported) and defines no ``plot_*`` function; those
   live in ``rnnlib/plotting/<topic>.py``.

Adding a module: put it in ``LAYERS`` (the test names the ones that are missing).
``KNOWN_EXCEPTIONS`` lists imports that break a rule today and are being moved; each
has its reason, and the test fails once an exception is no longer needed, so the list
only shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "rnnlib"

# Bottom to top. A name ending in ".*" is a whole subpackage.
LAYERS = [
    ("foundation", {"rnnlib._validate", "rnnlib.activations", "rnnlib.claims", "rnnlib.timing"}),
    (
        "math",
        {
            "rnnlib.cells",
            "rnnlib.sequence",
            "rnnlib.layers",
            "rnnlib.losses",
            "rnnlib.optim",
            "rnnlib.gradcheck",
            "rnnlib.data",
        },
    ),
    ("models and analysis", {"rnnlib.models", "rnnlib.analysis"}),
    (
        "what the notebooks measure",
        {
            "rnnlib.one_unit",
            "rnnlib.chain_rule",
            "rnnlib.bptt",
            "rnnlib.gradient_flow",
            "rnnlib.one_unit_lstm",
            "rnnlib.lm",
            "rnnlib.min_char_rnn",
            "rnnlib.memory",
            "rnnlib.attention",
            "rnnlib.seq2seq",
            "rnnlib.dates",
            "rnnlib.bottleneck",
            "rnnlib.neurons",
        },
    ),
    ("plotting and set-up", {"rnnlib.plotting.*", "rnnlib.runtime"}),
    ("package", {"rnnlib"}),
    ("interactive and checks", {"rnnlib.widgets.*", "rnnlib.exercises.*"}),
]
# Subpackages of the top layer that must not import each other.
SEPARATE = ("rnnlib.widgets", "rnnlib.exercises")

# (importing module, imported module or name): why, and what removes it.
KNOWN_EXCEPTIONS: dict = {}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int | None:
    for k, (_, members) in enumerate(LAYERS):
        for m in members:
            if module == m or (m.endswith(".*") and module.startswith(m[:-2] + ".")):
                return k
            if m.endswith(".*") and module == m[:-2]:
                return k
    return None


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module name an ImportFrom refers to."""
    if not node.level:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module: str):
    """Yield (imported module, imported name or None, line) for every rnnlib import."""
    tree = ast.parse(MODULES[module].read_text())
    aliases = {}  # local name -> module, for attribute access like models._x
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "rnnlib":
                    aliases[a.asname or a.name] = a.name
                    yield a.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node)
            if source.split(".")[0] != "rnnlib":
                continue
            for a in node.names:
                full = f"{source}.{a.name}"
                if full in MODULES:  # `from rnnlib import cells`: a module
                    aliases[a.asname or a.name] = full
                    yield full, None, node.lineno
                else:  # a name defined in `source`
                    yield source, a.name, node.lineno
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            yield aliases[node.value.id], node.attr, node.lineno


def _package(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def violations():
    found = {}
    for module in MODULES:
        own = layer_of(module)
        for target, name, line in imports(module):
            path = MODULES[module]
            where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{line}"
            if target == module or target not in MODULES:
                continue
            key_name = f"{target}.{name}" if name else target
            if name and name.startswith("_") and not name.startswith("__"):
                found.setdefault((module, key_name), []).append(
                    f"{where}: private name {name} of {target}"
                )
            if target.rpartition(".")[2].startswith("_") and not (
                module.startswith(target.rpartition(".")[0] + ".")
                or module == target.rpartition(".")[0]
            ):
                found.setdefault((module, target), []).append(
                    f"{where}: private module {target} used outside {target.rpartition('.')[0]}"
                )
            theirs = layer_of(target)
            if own is None or theirs is None:
                continue  # reported by test_every_module_has_a_layer
            if theirs > own:
                found.setdefault((module, target), []).append(
                    f"{where}: {LAYERS[own][0]} ({module}) imports {LAYERS[theirs][0]} ({target})"
                )
            mine = next((p for p in SEPARATE if module.startswith(p)), None)
            other = next((p for p in SEPARATE if target.startswith(p)), None)
            if mine and other and mine != other:
                found.setdefault((module, target), []).append(
                    f"{where}: {mine} imports {other}; a computation both need belongs "
                    "in a core module"
                )
    return found


def test_every_module_has_a_layer():
    missing = [m for m in MODULES if layer_of(m) is None]
    assert not missing, f"add these modules to LAYERS in {__file__}: {missing}"


def test_no_import_runs_back_up_and_no_private_name_crosses_a_module():
    found = violations()
    new = {k: v for k, v in found.items() if k not in KNOWN_EXCEPTIONS}
    assert not new, "layering broken:\n" + "\n".join(line for v in new.values() for line in v)


def test_known_exceptions_are_still_needed():
    found = violations()
    stale = [k for k in KNOWN_EXCEPTIONS if k not in found]
    assert not stale, f"these imports are gone: remove them from KNOWN_EXCEPTIONS: {stale}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from rnnlib.widgets import gradient_explorer\n", "models and analysis"),
        ("from rnnlib.sequence import _project\n", "private name _project"),
        ("from rnnlib import sequence\nsequence._tanh(1, 2)\n", "private name _tanh"),
        ("from rnnlib.widgets._core import text_form\n", "private module"),
    ],
)
def test_the_rules_catch_a_violation(tmp_path, monkeypatch, source, expected):
    """Each rule can fail: a fake core module with one bad import is reported."""
    fake = PACKAGE / "models.py"
    monkeypatch.setitem(MODULES, "rnnlib.models", tmp_path / "models.py")
    (tmp_path / "models.py").write_text(source)
    messages = [line for v in violations().values() for line in v]
    assert any(expected in m for m in messages), messages
    assert fake.exists()  # the real module was not touched


def widget_module_problems(path: Path) -> list[str]:
    """Why a module of ``rnnlib/widgets`` is more than controls, or [] if it is not.

    A widget module exports only names it defines (no plot function re-exported from
    ``rnnlib.plotting``) and defines no ``plot_*`` function of its own.
    """
    tree = ast.parse(path.read_text())
    defined, exported = set(), []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign):
            names = {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            defined |= names
            if "__all__" in names:
                exported = list(ast.literal_eval(node.value))
    problems = [
        f"{path.name}: exports {name} without defining it (one home per function)"
        for name in exported
        if name not in defined
    ]
    problems += [
        f"{path.name}: defines {name}; plot functions belong in rnnlib/plotting/<topic>.py"
        for name in sorted(defined)
        if name.startswith("plot_")
    ]
    return problems


def test_widget_modules_hold_only_controls():
    problems = [
        problem
        for module, path in MODULES.items()
        if module.startswith("rnnlib.widgets.")
        for problem in widget_module_problems(path)
    ]
    assert not problems, "\n".join(problems)


def test_the_widget_rule_catches_a_re_export_and_a_plot_function(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from rnnlib.plotting.start import plot_one_unit_rnn\n"
        '__all__ = ["plot_one_unit_rnn"]\n\n\ndef plot_twin(ax=None):\n    pass\n'
    )
    problems = widget_module_problems(bad)
    assert len(problems) == 2, problems
    assert "exports plot_one_unit_rnn" in problems[0] and "plot_twin" in problems[1]
