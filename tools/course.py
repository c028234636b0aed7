"""Set up, open and test the course on Linux, macOS and Windows: one script, standard library only.

Usage (``make course`` and ``make test`` call the first two; on Windows, where
there is usually no ``make``, type ``py tools\\course.py course``)::

    python tools/course.py course        # set up .venv, open the course in JupyterLab
    python tools/course.py notebook      # the same, in the Notebook 7 interface
    python tools/course.py test [ARGS]   # set up, then every test (ARGS go to pytest)
    python tools/course.py --help        # every command

Setting up means: check the Python version, create ``.venv`` with the Python that
runs this script, upgrade pip, install what the command needs, and write a stamp
holding a hash of the requirement files and ``pyproject.toml`` and what was
installed, so that a changed pin reinstalls and an unchanged one starts at once.
``course``, ``notebook`` and ``setup`` install the learner's ``requirements.txt``
(the runtime of ``binder/requirements.txt``, JupyterLab, Notebook 7 and rnnlib) and
nothing else; ``test``, ``lint``, ``execute`` and the other developer commands
install ``requirements-dev.txt`` (the same, plus pytest, nbval, ruff, playwright).
Every program runs as ``<venv python> -m <module>``, without a shell, so no path is POSIX-only.

A new command is one function decorated with ``@command(...)``; the pure helpers
(paths, stamp, root detection, the second BLAS kernel) are tested in
``tests/test_course_script.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VENV = ROOT / ".venv"

#: The oldest Python the pinned requirements install on (soupsieve 4.1.3 needs 3.11.5) ...
MIN_PYTHON = (3, 11, 5)
#: ... and the newest minor version with wheels for every pin (3.15 lacks contourpy's).
MAX_TESTED_MINOR = (3, 14)
#: Files whose content decides what is installed: the stamp holds their hash.
STAMP_INPUTS = (
    "binder/requirements.txt",
    "requirements.txt",
    "requirements-dev.txt",
    "pyproject.toml",
)
#: What a command installs: the learner's set, or the developer's (a superset of it).
INSTALLS = {"course": "requirements.txt", "dev": "requirements-dev.txt"}
STAMP_NAME = ".installed"

FIRST_NOTEBOOK = "notebooks/00-Start-Here.ipynb"
SANITIZER = "tests/nbval-sanitize.cfg"
NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", SANITIZER]
#: Every test run ends with a table of where its time went (tools/pytest_stages.py).
STAGES = ["-p", "tools.pytest_stages"]
#: The suites that keep both cores busy by themselves; ``test`` runs them first, alone.
BOTH_CORE_SUITES = ("tests/grading", "tests/classroom")
#: The suite that drives JupyterLab in chromium: run beside the rest (it waits on the
#: browser and the server as much as it computes). tests/site, which audits a static site,
#: runs in the foreground with the unit tests and nbval, which balances the two runs.
BROWSER_SUITES = ("tests/browser",)

#: JupyterLab settings that apply to every user of the venv: no "news?" prompt, which
#: otherwise covers a corner of the first notebook on first start.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    }
}

#: The second strict notebook pass uses this OpenBLAS kernel: SSE3 code that every
#: x86-64 CPU runs, and that sums in another order than the AVX kernels a modern CPU
#: picks, so a stored output that only holds on one CPU fails here.
SECOND_KERNEL = "Prescott"
X86_64_NAMES = {"x86_64", "amd64", "x86-64", "x64", "em64t"}
#: The same pass also holds numpy's own functions (tanh, exp, sums) to their baseline SIMD
#: path: ``NPY_DISABLE_CPU_FEATURES`` lists every dispatch target that this CPU would
#: otherwise run (on x86-64: X86_V3 for AVX2 laptops, X86_V4 and AVX512_* above it).
NUMPY_DISPATCH_CODE = (
    "from numpy._core._multiarray_umath import __cpu_dispatch__ as d, __cpu_features__ as f; "
    "print(' '.join(k for k in d if f.get(k)))"
)

#: ``benchmark`` runs these by default; ``benchmark charlm`` runs bench_charlm.py.
DEFAULT_BENCHMARKS = ("sequence", "widgets")


# ------------------------------------------------------------------------ pure helpers


def python_problem(version=None):
    """Return why this Python cannot run the course (a sentence), or ``None`` if it can.

    Parameters
    ----------
    version : tuple of int, optional
        (major, minor, micro); default the running interpreter's.
    """
    version = tuple(version or sys.version_info[:3])
    if version < MIN_PYTHON:
        have = ".".join(map(str, version))
        return (
            f"Python {have} is too old for the course: it needs Python "
            f"{supported_pythons()}. Install a newer Python and run this script with it."
        )
    return None


def supported_pythons():
    """The supported range as text, for example ``"3.11.5 to 3.14"``."""
    low = ".".join(map(str, MIN_PYTHON))
    high = ".".join(map(str, MAX_TESTED_MINOR))
    return f"{low} to {high}"


def venv_paths(venv, os_name=None):
    """Where a venv keeps its programs, on Windows (``os_name == "nt"``) or elsewhere.

    Parameters
    ----------
    venv : pathlib.PurePath
        The venv's folder.
    os_name : str, optional
        ``os.name`` of the system the venv is for; default this one's.

    Returns
    -------
    dict
        ``"bin"``: the scripts folder (``Scripts`` on Windows, ``bin`` elsewhere);
        ``"python"``: its interpreter (``python.exe`` on Windows).
    """
    os_name = os.name if os_name is None else os_name
    if os_name == "nt":
        scripts = venv / "Scripts"
        return {"bin": scripts, "python": scripts / "python.exe"}
    scripts = venv / "bin"
    return {"bin": scripts, "python": scripts / "python"}


def venv_python_version(venv):
    """The Python version a venv was made with, from its ``pyvenv.cfg`` (``None`` if unknown)."""
    cfg = Path(venv) / "pyvenv.cfg"
    if not cfg.exists():
        return None
    for line in cfg.read_text(encoding="utf-8", errors="replace").splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            parts = re.findall(r"\d+", value)[:3]
            if parts:
                return tuple(int(p) for p in parts)
    return None


def requirements_hash(root=ROOT):
    """SHA-256 over the files that decide what is installed (their names and contents)."""
    digest = hashlib.sha256()
    for name in STAMP_INPUTS:
        digest.update(name.encode())
        path = Path(root) / name
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()


def stamp_is_current(venv, root=ROOT, os_name=None, level="course"):
    """True if ``venv`` has its interpreter and a stamp matching today's requirements.

    ``level`` is what the command needs, ``"course"`` or ``"dev"``; a venv set up for
    ``"dev"`` also serves ``"course"`` (the developer's set includes the learner's).
    """
    venv = Path(venv)
    stamp = venv / STAMP_NAME
    if not Path(venv_paths(venv, os_name)["python"]).exists() or not stamp.exists():
        return False
    digest, _, installed = stamp.read_text(encoding="utf-8").strip().partition(" ")
    if digest != requirements_hash(root):
        return False
    return installed == "dev" or installed == level


def write_stamp(venv, root=ROOT, level="course"):
    (Path(venv) / STAMP_NAME).write_text(f"{requirements_hash(root)} {level}\n", encoding="utf-8")


def overrides_path(venv):
    """JupyterLab's settings overrides for the environment ``venv`` (same on every OS)."""
    return Path(venv) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def write_lab_overrides(venv):
    """Merge :data:`LAB_OVERRIDES` into the venv's ``overrides.json``; return its path."""
    path = overrides_path(venv)
    settings = {}
    if path.exists():
        try:
            settings = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            settings = {}
    for plugin, values in LAB_OVERRIDES.items():
        settings.setdefault(plugin, {}).update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    return path


def is_root():
    """True when running as root on a POSIX system (effective user id 0); never on Windows."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is not None and geteuid() == 0


def jupyter_command(python, app, notebook=FIRST_NOTEBOOK, root=None, extra=()):
    """The command that opens ``notebook`` in Jupyter ``app`` ("lab" or "notebook").

    As root (``root`` default: :func:`is_root`), ``--allow-root`` is added: Jupyter
    otherwise refuses to start, as it does in containers and root cloud shells.
    """
    if app not in ("lab", "notebook"):
        raise ValueError(f"app must be 'lab' or 'notebook', got {app!r}")
    root = is_root() if root is None else root
    cmd = [str(python), "-m", "jupyter", app, notebook]
    if root:
        cmd.append("--allow-root")
    return cmd + list(extra)


def second_kernel(machine, blas_libraries):
    """Choose the OpenBLAS kernel of the second notebook pass, or say why there is none.

    Parameters
    ----------
    machine : str
        ``platform.machine()`` of the system (``x86_64``, ``AMD64``, ``arm64`` ...).
    blas_libraries : list of dict
        ``threadpoolctl.threadpool_info()`` entries of numpy's BLAS (``internal_api``
        tells which library it is).

    Returns
    -------
    (str or None, str)
        The ``OPENBLAS_CORETYPE`` value and ``""``, or ``None`` and the reason.
    """
    if machine.lower() not in X86_64_NAMES:
        return None, (
            f"this CPU is {machine}, not x86-64; the {SECOND_KERNEL} kernel only exists on x86-64"
        )
    apis = sorted({lib.get("internal_api", "?") for lib in blas_libraries})
    if "openblas" not in apis:
        found = ", ".join(apis) if apis else "no BLAS library threadpoolctl can see"
        return None, f"numpy uses {found}, not OpenBLAS; OPENBLAS_CORETYPE does nothing there"
    return SECOND_KERNEL, ""


def second_pass_env(kernel, dispatch_levels):
    """The environment of the second notebook pass: another BLAS kernel, numpy at its baseline.

    Parameters
    ----------
    kernel : str or None
        The ``OPENBLAS_CORETYPE`` from :func:`second_kernel`, or ``None`` when there is none.
    dispatch_levels : list of str
        numpy's SIMD dispatch targets that this CPU runs (``["X86_V3", "X86_V4"]``); all
        are disabled, so that numpy runs its baseline code as an older CPU would.

    Returns
    -------
    dict
        Environment variables; empty when neither applies (nothing new to compare).
    """
    env = {}
    if kernel:
        env["OPENBLAS_CORETYPE"] = kernel
    if dispatch_levels:
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(dispatch_levels)
    return env


_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected)")
_SUMMARY = re.compile(r"^(=+ )?(\d+ \w+|no tests ran)(, \d+ \w+)* in [\d.]+s\b")


def summary_counts(line):
    """Counts in a pytest closing line: ``{"passed": 3, "failed": 1, ...}`` (errors as failed)."""
    counts = {}
    for n, word in _COUNT.findall(line):
        key = "failed" if word.startswith("error") else word
        counts[key] = counts.get(key, 0) + int(n)
    return counts


def plain_total(counts_list):
    """One plain closing line over several pytest runs: ``"N passed, N failed[, N skipped]"``."""
    total = {}
    for counts in counts_list:
        for key, n in counts.items():
            total[key] = total.get(key, 0) + n
    line = f"{total.get('passed', 0)} passed, {total.get('failed', 0)} failed"
    if total.get("skipped"):
        line += f", {total['skipped']} skipped"
    return line


# ------------------------------------------------------------------------ running things


def say(text):
    print(f"[course] {text}", flush=True)


class Context:
    """What every command gets: the venv, its paths, dry-run, and how to run programs."""

    def __init__(self, venv, dry_run=False):
        self.venv = Path(venv)
        self.paths = venv_paths(self.venv)
        self.python = self.paths["python"]
        self.dry_run = dry_run

    def env(self, **extra):
        """This process's environment with the venv first on PATH (like activating it)."""
        env = dict(os.environ)
        env["VIRTUAL_ENV"] = str(self.venv)
        env["PATH"] = str(self.paths["bin"]) + os.pathsep + env.get("PATH", "")
        env.pop("PYTHONHOME", None)
        env.update(extra)
        return env

    def run(self, cmd, env=None, check=True):
        """Run ``cmd`` (a list, no shell) in the repository; return its exit code."""
        cmd = [str(c) for c in cmd]
        if self.dry_run:
            prefix = " ".join(f"{k}={v}" for k, v in (env or {}).items() if k != "PYTHONIOENCODING")
            say("would run: " + (prefix + " " if prefix else "") + " ".join(cmd))
            return 0
        rc = subprocess.call(cmd, cwd=ROOT, env=self.env(**(env or {})))
        if check and rc != 0:
            say(f"failed (exit {rc}): {' '.join(cmd)}")
            sys.exit(rc)
        return rc

    def run_interactive(self, cmd):
        """Run ``cmd`` and let it handle Ctrl-C itself (Jupyter asks before it stops)."""
        cmd = [str(c) for c in cmd]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env())
        while True:
            try:
                return proc.wait()
            except KeyboardInterrupt:
                continue  # the child got the Ctrl-C too; wait until it has stopped

    def run_teed(self, cmd, env=None):
        """Run ``cmd``, echo its output as it comes, return (exit code, last summary line)."""
        cmd = [str(c) for c in cmd]
        if self.dry_run:
            return self.run(cmd, env), ""
        env = {"PYTHONIOENCODING": "utf-8", **(env or {})}  # the pipe, on Windows too
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
        )
        summary = ""
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if _SUMMARY.match(line.strip()):
                summary = line.strip()
        return proc.wait(), summary

    def start_logged(self, cmd, env=None):
        """Start ``cmd`` in the background with its output to a temporary file.

        Returns ``(process, log file)`` for :meth:`finish_logged`; ``None`` in a dry run.
        """
        cmd = [str(c) for c in cmd]
        if self.dry_run:
            self.run(cmd, env)
            return None
        import tempfile

        env = {"PYTHONIOENCODING": "utf-8", **(env or {})}
        log = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env(**env), stdout=log, stderr=subprocess.STDOUT, text=True
        )
        return proc, log

    def finish_logged(self, started):
        """Wait for a :meth:`start_logged` command, print its output, return (code, summary)."""
        if started is None:
            return 0, ""
        proc, log = started
        code = proc.wait()
        log.seek(0)
        summary = ""
        for line in log:
            sys.stdout.write(line)
            if _SUMMARY.match(line.strip()):
                summary = line.strip()
        sys.stdout.flush()
        log.close()
        return code, summary

    def python_cmd(self, *args):
        return [self.python, *args]

    def setup(self, level="course"):
        """Install what ``level`` needs (``"course"`` or ``"dev"``) unless the stamp has it."""
        if stamp_is_current(self.venv, level=level):
            return
        requirements = INSTALLS[level]
        made_with = venv_python_version(self.venv)
        if self.python.exists() and made_with and python_problem(made_with):
            say(
                f"{self.venv} was made with Python {'.'.join(map(str, made_with))}, too old "
                f"for the course. Delete it (the clean command) and run this again with "
                f"Python {supported_pythons()}."
            )
            sys.exit(1)
        if not self.python.exists():
            say(f"creating {self.venv} with Python {platform.python_version()} ({sys.executable})")
            rc = self.run([sys.executable, "-m", "venv", self.venv], check=False)
            if rc != 0:
                say(
                    "could not create the venv. On Debian/Ubuntu install the venv module "
                    "(sudo apt-get install python3-venv) and try again."
                )
                sys.exit(rc)
            say(f"installing {requirements} into it (about a minute, plus downloads)")
        else:
            say(f"installing {requirements} into {self.venv} (new, or a pin changed)")
        self.run(self.python_cmd("-m", "pip", "install", "--quiet", "--upgrade", "pip"))
        self.run(self.python_cmd("-m", "pip", "install", "--quiet", "-r", requirements))
        if not self.dry_run:
            write_stamp(self.venv, level=level)

    def numpy_dispatch_levels(self):
        """numpy's SIMD dispatch targets above its baseline that this CPU runs."""
        if not self.python.exists():
            return []
        out = subprocess.run(
            self.python_cmd("-c", NUMPY_DISPATCH_CODE),
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
        )
        if out.returncode != 0 or not out.stdout.strip():
            return []
        return out.stdout.split()

    def blas_libraries(self, env=None):
        """numpy's BLAS libraries as the venv's Python sees them (threadpoolctl's view)."""
        code = (
            "import json, numpy, threadpoolctl; print(json.dumps("
            "[i for i in threadpoolctl.threadpool_info() if i.get('user_api') == 'blas']))"
        )
        if not self.python.exists():
            return []
        out = subprocess.run(
            self.python_cmd("-c", code),
            cwd=ROOT,
            env=self.env(**(env or {})),
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            return []
        return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------ commands

COMMANDS = {}


def command(name, help, setup="dev", passthrough=False):
    """Register ``fn(ctx, args, extra)`` as the subcommand ``name``.

    ``setup``: what the venv must have first, ``"course"`` (the learner's install),
    ``"dev"`` (with the test tools) or ``False`` (nothing). ``passthrough``: unknown
    arguments are handed to the command (``extra``) instead of being an error.
    """

    def register(fn):
        COMMANDS[name] = {
            "fn": fn,
            "help": help,
            "setup": setup,
            "passthrough": passthrough,
            "options": getattr(fn, "_options", []),
        }
        return fn

    return register


def option(*flags, **kwargs):
    """Add an argparse option to a command (place it below ``@command``)."""

    def add(fn):
        fn._options = [(flags, kwargs), *getattr(fn, "_options", [])]
        return fn

    return add


def _launch(ctx, app, extra):
    if not ctx.dry_run:
        write_lab_overrides(ctx.venv)
    else:
        say(f"would write {overrides_path(ctx.venv)}")
    root = is_root()
    if root:
        say("running as root (a container or a root shell): starting Jupyter with --allow-root")
    cmd = jupyter_command(ctx.python, app, root=root, extra=extra)
    if ctx.dry_run:
        say("would run: " + " ".join(map(str, cmd)))
        return 0
    return ctx.run_interactive(cmd)


@command(
    "course", "set up .venv and open the course in JupyterLab", setup="course", passthrough=True
)
def cmd_course(ctx, args, extra):
    return _launch(ctx, "lab", extra)


@command(
    "notebook",
    "the same in Jupyter Notebook 7 (one document per tab)",
    setup="course",
    passthrough=True,
)
def cmd_notebook(ctx, args, extra):
    return _launch(ctx, "notebook", extra)


@command(
    "setup",
    "only create .venv and install the learner's requirements.txt (if changed)",
    setup="course",
)
def cmd_setup(ctx, args, extra):
    say(f"{ctx.venv} is ready" + (" (dry run)" if ctx.dry_run else ""))
    return 0


@command("lint", "ruff check over the package, tests, tools and notebooks", passthrough=True)
def cmd_lint(ctx, args, extra):
    return ctx.run(ctx.python_cmd("-m", "ruff", "check", ".", *extra), check=False)


@command(
    "test",
    "ruff, unit tests, notebooks (strict nbval), the browser suite, then the "
    f"notebooks again under OpenBLAS's {SECOND_KERNEL} kernel; extra arguments go to pytest",
    passthrough=True,
)
@option(
    "--no-second-kernel",
    action="store_true",
    help=f"skip the second notebook pass under OPENBLAS_CORETYPE={SECOND_KERNEL}",
)
def cmd_test(ctx, args, extra):
    ruff_started = time.monotonic()
    if ctx.run(ctx.python_cmd("-m", "ruff", "check", "."), check=False) != 0:
        say("ruff found problems (see above)")
        return 1
    if ctx.run(ctx.python_cmd("-m", "ruff", "format", "--check", "."), check=False) != 0:
        say("ruff format would change the files above: run `python -m ruff format .`")
        return 1
    ruff_seconds = time.monotonic() - ruff_started

    # Four pytest runs, the slowest work first. 1: the suites that keep both cores busy by
    # themselves (nbgrader grades two submissions at a time; a class of ten kernels), alone.
    # Then three side by side, each keeping about one core busy or less: 2, the unit tests
    # and strict nbval; 3, the browser suites; 4, the notebooks as an older CPU.
    wall, summaries = [("ruff", ruff_seconds)], []
    both_cores = [s for s in BOTH_CORE_SUITES if (ROOT / s).exists()]
    started = time.monotonic()
    rc1, line1 = ctx.run_teed(ctx.python_cmd("-m", "pytest", *STAGES, *both_cores, *extra))
    wall.append((" and ".join(both_cores), time.monotonic() - started))
    summaries.append((" and ".join(both_cores), line1, rc1))

    second, second_name = None, None
    if args.no_second_kernel:
        say(f"second notebook pass under {SECOND_KERNEL}: skipped (--no-second-kernel)")
    else:
        kernel, reason = second_kernel(platform.machine(), ctx.blas_libraries())
        if kernel is None:
            say(f"no other OpenBLAS kernel in the second pass: {reason}")
        levels = ctx.numpy_dispatch_levels()
        env = second_pass_env(kernel, levels)
        if not env:
            say("second notebook pass skipped: no other BLAS kernel and numpy runs its baseline")
        else:
            parts = []
            if kernel:
                before = _architectures(ctx.blas_libraries())
                after = _architectures(ctx.blas_libraries({"OPENBLAS_CORETYPE": kernel}))
                parts.append(f"OPENBLAS_CORETYPE={kernel} (OpenBLAS core {before} -> {after})")
                if before == after and not ctx.dry_run:
                    say(f"warning: OpenBLAS kept the {before} core; that half compares nothing new")
            if levels:
                parts.append(f"NPY_DISABLE_CPU_FEATURES={' '.join(levels)} (numpy's baseline SIMD)")
            say(
                "second strict notebook pass, as an older CPU: "
                + " and ".join(parts)
                + ", in the background: stored outputs must not depend on the CPU; its output "
                "follows the first pass's"
            )
            second_name = "notebooks/ as an older CPU (" + ", ".join(sorted(env)) + ")"
            second = ctx.start_logged(
                ctx.python_cmd("-m", "pytest", *NBVAL, *STAGES, "notebooks", *extra), env=env
            )

    # The browser suites wait on a browser and a server as much as they compute: a third
    # run beside the other two.
    browser = [s for s in BROWSER_SUITES if (ROOT / s).exists()]
    browser_run = None
    if browser:
        say(f"{' and '.join(browser)}: in the background; its output follows")
        browser_run = ctx.start_logged(ctx.python_cmd("-m", "pytest", *STAGES, *browser, *extra))

    started = time.monotonic()
    ignore = [f"--ignore={s}" for s in (*both_cores, *browser)]
    rc, line = ctx.run_teed(
        ctx.python_cmd("-m", "pytest", *NBVAL, *STAGES, "tests", "notebooks", *ignore, *extra)
    )
    wall.append(("tests/ (the rest) and notebooks/", time.monotonic() - started))
    summaries.append(("tests/ (the rest) and notebooks/", line, rc))
    if browser_run is not None:
        say(f"the {' and '.join(browser)} run:")
        rc3, line3 = ctx.finish_logged(browser_run)
        wall.append(
            (
                f"{' and '.join(browser)} (until the above ended, or later)",
                time.monotonic() - started,
            )
        )
        summaries.append((" and ".join(browser), line3, rc3))
    if second_name is not None:
        say(f"the {second_name} pass:")
        rc2, line2 = ctx.finish_logged(second)
        summaries.append((second_name, line2, rc2))
    codes = [code for _, _, code in summaries]
    if all(code == 5 for code in codes):
        # pytest's "no tests collected": say so loudly rather than pass or fail in silence.
        print("NO TESTS RAN: pytest collected nothing from tests/ and notebooks/.")
        print("0 passed, 0 failed")
        return 0
    # one run that selects nothing (a -k that matches only notebooks) compares nothing
    summaries = [(n, t, 0 if code == 5 else code) for n, t, code in summaries]

    if ctx.dry_run:
        return 0
    print()
    # The older-CPU pass runs beside the second; its own time is in its summary line below
    # (its end is only seen when the second ends, so a wall time here would mislead).
    print("wall time of each stage of `test`:")
    for name, seconds in wall:
        print(f"  {name:<60}{seconds:>8.0f} s")
    print()
    for name, text, code in summaries:
        print(f"{name}: {text or f'(no summary line; exit {code})'}")
    print("total: " + plain_total(summary_counts(text) for _, text, _ in summaries))
    return max(code for _, _, code in summaries) and 1


@command(
    "site",
    "build the course website in build/site/ from the stored notebooks, offline, with its own "
    ".venv-site (args: `export [NN ...]` for HTML exports in build/exports/, `serve` to view it)",
    setup=False,
    passthrough=True,
)
def cmd_site(ctx, args, extra):
    # tools/site.py is standard library only and makes its own venv, .venv-site, with the
    # pinned builder (requirements-site.txt): Sphinx and MyST-NB never enter .venv. A
    # subprocess, as for `classroom`: "site" is also the name of a standard-library module.
    cmd = [sys.executable, ROOT / "tools" / "site.py", *extra]
    if ctx.dry_run:
        say("would run: " + " ".join(map(str, cmd)))
        return 0
    return ctx.run_interactive(cmd)


def _architectures(libraries):
    return ", ".join(sorted({str(lib.get("architecture")) for lib in libraries})) or "unknown"


@command(
    "execute",
    "re-execute notebooks and store their outputs (args: name prefixes, e.g. 03)",
    passthrough=True,
)
def cmd_execute(ctx, args, extra):
    return ctx.run(ctx.python_cmd("tools/execute.py", *extra), check=False)


@command("navigation", "rewrite every notebook's navigation cells")
def cmd_navigation(ctx, args, extra):
    return ctx.run(ctx.python_cmd("tools/navigation.py"), check=False)


@command("diagrams", "draw the diagrams in images/")
def cmd_diagrams(ctx, args, extra):
    return ctx.run(ctx.python_cmd("images/make_diagrams.py"), check=False)


@command(
    "benchmark",
    "run benchmarks: sequence and widgets by default; names pick others "
    "(sequence, widgets, charlm)",
    passthrough=True,
)
def cmd_benchmark(ctx, args, extra):
    names = extra or list(DEFAULT_BENCHMARKS)
    for name in names:
        script = Path("benchmarks") / f"bench_{name}.py"
        if not (ROOT / script).exists():
            say(f"no benchmark {name!r}: there is no {script}")
            return 2
        if ctx.run(ctx.python_cmd(script), check=False) != 0:
            return 1
    return 0


@command(
    "classroom",
    "set up .venv-classroom and start the course's JupyterHub on 127.0.0.1 "
    "(Linux and macOS; on Windows, inside WSL); see classroom/README.md",
    setup=False,
    passthrough=True,
)
def cmd_classroom(ctx, args, extra):
    # classroom/launch.py is standard library only and makes its own venv: JupyterHub with
    # the course's runtime, not the developer pins of .venv.
    cmd = [sys.executable, ROOT / "classroom" / "launch.py", *extra]
    if ctx.dry_run:
        say("would run: " + " ".join(map(str, cmd)))
        return 0
    return ctx.run_interactive(cmd)


@command(
    "assignments",
    "nbgrader assignments of the exercises in build/assignments "
    "(for instructors; see README, Grading with nbgrader)",
    setup=False,
    passthrough=True,
)
def cmd_assignments(ctx, args, extra):
    # grading/build.py is standard library only; nbgrader runs in .venv-classroom, with the
    # instructor extras, not in the learner's .venv.
    cmd = [sys.executable, ROOT / "grading" / "build.py", *extra]
    if ctx.dry_run:
        say("would run: " + " ".join(map(str, cmd)))
        return 0
    return ctx.run(cmd, check=False)


@command("clean", "delete .venv (everything the set-up installed)", setup=False)
def cmd_clean(ctx, args, extra):
    if not ctx.venv.exists():
        say(f"nothing to clean: {ctx.venv} does not exist")
        return 0
    if not (ctx.venv / "pyvenv.cfg").exists():
        say(f"not deleting {ctx.venv}: it has no pyvenv.cfg, so it is not a venv")
        return 1
    if ctx.dry_run:
        say(f"would delete {ctx.venv}")
        return 0

    def make_writable(func, path, _exc):  # Windows: read-only files refuse deletion
        os.chmod(path, stat.S_IREAD | stat.S_IWRITE)
        func(path)

    if sys.version_info >= (3, 12):
        shutil.rmtree(ctx.venv, onexc=make_writable)
    else:
        shutil.rmtree(ctx.venv, onerror=make_writable)
    say(f"deleted {ctx.venv}")
    return 0


# ------------------------------------------------------------------------ entry point


def build_parser():
    parser = argparse.ArgumentParser(
        prog="course.py",
        allow_abbrev=False,
        description="Set up, open and test the course (Linux, macOS, Windows). "
        f"Supported Python: {supported_pythons()}.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, spec in COMMANDS.items():
        p = sub.add_parser(name, help=spec["help"], description=spec["help"], allow_abbrev=False)
        p.add_argument(
            "--venv",
            default=os.environ.get("VENV") or str(DEFAULT_VENV),
            help="the venv folder (default: .venv, or $VENV)",
        )
        p.add_argument(
            "--dry-run", action="store_true", help="print what would be run, run nothing"
        )
        for flags, kwargs in spec["options"]:
            p.add_argument(*flags, **kwargs)
    return parser


def check_python():
    """Stop with a clear message on a Python the course does not support; warn if untested."""
    problem = python_problem()
    if problem:
        say(problem)
        sys.exit(1)
    if sys.version_info[:2] > MAX_TESTED_MINOR:
        say(
            f"warning: Python {platform.python_version()} is newer than the course is tested "
            f"with ({supported_pythons()}); a pinned package may have no wheel for it yet."
        )


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if hasattr(sys.stdout, "reconfigure"):  # a console or file that cannot show a character
        sys.stdout.reconfigure(errors="replace")
    check_python()
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    spec = COMMANDS[args.command]
    if extra and extra[0] == "--":
        extra = extra[1:]
    if extra and not spec["passthrough"]:
        parser.error(f"{args.command} takes no arguments, got {' '.join(extra)}")
    venv = Path(args.venv)
    ctx = Context(venv if venv.is_absolute() else ROOT / venv, dry_run=args.dry_run)
    try:
        if spec["setup"]:
            ctx.setup(spec["setup"])
        return spec["fn"](ctx, args, extra) or 0
    except KeyboardInterrupt:
        say("stopped (Ctrl-C)")
        return 130


if __name__ == "__main__":
    sys.exit(main())
