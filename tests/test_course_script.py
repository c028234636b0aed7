"""tools/course.py: the set-up logic that must hold on Windows too, tested here on Linux."""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from tools import course

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------------ venv paths


def test_venv_paths_on_windows_use_scripts_and_exe():
    paths = course.venv_paths(PureWindowsPath(r"C:\Users\ada\rnn-course\.venv"), os_name="nt")
    assert paths["bin"] == PureWindowsPath(r"C:\Users\ada\rnn-course\.venv\Scripts")
    assert paths["python"] == PureWindowsPath(r"C:\Users\ada\rnn-course\.venv\Scripts\python.exe")


def test_venv_paths_on_posix_use_bin():
    paths = course.venv_paths(PurePosixPath("/home/ada/rnn-course/.venv"), os_name="posix")
    assert paths["bin"] == PurePosixPath("/home/ada/rnn-course/.venv/bin")
    assert paths["python"] == PurePosixPath("/home/ada/rnn-course/.venv/bin/python")


def test_every_program_runs_through_the_venv_python_not_a_posix_path():
    cmd = course.jupyter_command(
        PureWindowsPath(r"C:\c\.venv\Scripts\python.exe"), "lab", root=False
    )
    assert cmd == [r"C:\c\.venv\Scripts\python.exe", "-m", "jupyter", "lab", course.FIRST_NOTEBOOK]
    source = (ROOT / "tools" / "course.py").read_text(encoding="utf-8")
    for posix_only in ("/bin/", "shell=True", "os.system", "bin/python"):
        assert posix_only not in source, posix_only


# ------------------------------------------------------------------------ root


def test_root_adds_allow_root(monkeypatch):
    monkeypatch.setattr(course.os, "geteuid", lambda: 0, raising=False)
    assert course.is_root()
    for app in ("lab", "notebook"):
        cmd = course.jupyter_command("python", app)
        assert cmd[:4] == ["python", "-m", "jupyter", app]
        assert "--allow-root" in cmd


def test_other_users_get_no_allow_root(monkeypatch):
    monkeypatch.setattr(course.os, "geteuid", lambda: 1000, raising=False)
    assert not course.is_root()
    assert "--allow-root" not in course.jupyter_command("python", "lab")


def test_windows_has_no_geteuid_and_is_never_root(monkeypatch):
    monkeypatch.delattr(course.os, "geteuid", raising=False)
    assert not course.is_root()
    assert "--allow-root" not in course.jupyter_command("python", "notebook")


def test_jupyter_command_rejects_an_unknown_app():
    with pytest.raises(ValueError, match="app must be 'lab' or 'notebook', got 'classic'"):
        course.jupyter_command("python", "classic", root=False)


@pytest.mark.parametrize("app", ["course", "notebook"])
def test_launcher_dry_run_as_this_user(tmp_path, app):
    """The real launcher path, end to end, as whoever runs the tests (root here and in CI)."""
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "course.py"),
            app,
            "--dry-run",
            "--venv",
            str(tmp_path / "venv"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    jupyter = {"course": "-m jupyter lab", "notebook": "-m jupyter notebook"}[app]
    launch = [line for line in out.stdout.splitlines() if jupyter in line]
    assert len(launch) == 1, out.stdout
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    assert launch[0].endswith(course.FIRST_NOTEBOOK + (" --allow-root" if root else ""))
    assert ("running as root" in out.stdout) == root
    assert "-m venv" in out.stdout  # a fresh venv would be created first ...
    assert not (tmp_path / "venv").exists()  # ... but a dry run creates nothing


# ------------------------------------------------------------------------ stamp


def _project(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "requirements.txt").write_text("numpy==2.4.6\n")
    (root / "requirements-dev.txt").write_text("-r requirements.txt\npytest==9.2.0\n")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    venv = root / ".venv"
    python = Path(course.venv_paths(venv)["python"])
    python.parent.mkdir(parents=True)
    python.write_text("")
    return root, venv


def test_stamp_is_current_after_install_and_stale_after_a_changed_pin(tmp_path):
    root, venv = _project(tmp_path)
    assert not course.stamp_is_current(venv, root)  # never installed
    course.write_stamp(venv, root)
    assert course.stamp_is_current(venv, root)
    (root / "requirements.txt").write_text("numpy==2.4.7\n")
    assert not course.stamp_is_current(venv, root)
    course.write_stamp(venv, root)
    (root / "pyproject.toml").write_text("[project]\nname = 'y'\n")
    assert not course.stamp_is_current(venv, root)


def test_a_learners_venv_gets_the_test_tools_only_when_a_test_command_asks(tmp_path):
    root, venv = _project(tmp_path)
    course.write_stamp(venv, root, level="course")
    assert course.stamp_is_current(venv, root, level="course")
    assert not course.stamp_is_current(venv, root, level="dev")  # make test installs more
    course.write_stamp(venv, root, level="dev")
    assert course.stamp_is_current(venv, root, level="dev")
    assert course.stamp_is_current(venv, root, level="course")  # and that serves a learner
    (root / "requirements-dev.txt").write_text("-r requirements.txt\npytest==9.2.1\n")
    assert not course.stamp_is_current(venv, root, level="course")


def test_the_course_commands_install_no_test_tool_and_the_test_commands_do():
    assert course.COMMANDS["course"]["setup"] == "course"
    assert course.COMMANDS["notebook"]["setup"] == "course"
    assert course.COMMANDS["setup"]["setup"] == "course"
    for name in ("test", "lint", "execute", "benchmark"):
        assert course.COMMANDS[name]["setup"] == "dev"
    learner = (ROOT / "requirements.txt").read_text().lower()
    runtime = (ROOT / "binder" / "requirements.txt").read_text().lower()
    dev = (ROOT / "requirements-dev.txt").read_text().lower()
    for tool in ("pytest", "nbval", "hypothesis", "ruff", "playwright", "coverage"):
        assert f"\n{tool}==" not in learner + runtime, f"{tool} is in the learner's install"
        assert f"\n{tool}==" in dev, f"{tool} is missing from requirements-dev.txt"
    assert "-r binder/requirements.txt" in learner and "-r requirements.txt" in dev


def test_stamp_is_stale_without_the_venv_python(tmp_path):
    root, venv = _project(tmp_path)
    course.write_stamp(venv, root)
    Path(course.venv_paths(venv)["python"]).unlink()
    assert not course.stamp_is_current(venv, root)


def test_an_old_empty_stamp_from_the_makefile_reinstalls(tmp_path):
    root, venv = _project(tmp_path)
    (venv / course.STAMP_NAME).write_text("")  # what `touch .venv/.installed` left
    assert not course.stamp_is_current(venv, root)


# ------------------------------------------------------------------------ JupyterLab


def test_overrides_switch_off_the_news_prompt(tmp_path):
    path = course.write_lab_overrides(tmp_path / "venv")
    assert path == tmp_path / "venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(path.read_text()) == {
        "@jupyterlab/apputils-extension:notification": {
            "fetchNews": "false",  # a string in JupyterLab's schema
            "checkForUpdates": False,
        }
    }


def test_overrides_keep_other_settings(tmp_path):
    path = course.overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "@jupyterlab/apputils-extension:themes": {"theme": "dark"},
                "@jupyterlab/apputils-extension:notification": {
                    "fetchNews": "true",
                    "doNotDisturbMode": True,
                },
            }
        )
    )
    settings = json.loads(course.write_lab_overrides(tmp_path).read_text())
    assert settings["@jupyterlab/apputils-extension:themes"] == {"theme": "dark"}
    assert settings["@jupyterlab/apputils-extension:notification"] == {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    }


# ------------------------------------------------------------------------ second BLAS kernel

OPENBLAS = [{"user_api": "blas", "internal_api": "openblas", "architecture": "Haswell"}]


@pytest.mark.parametrize("machine", ["x86_64", "AMD64"])  # Linux/macOS, Windows
def test_second_pass_uses_prescott_on_x86_64_with_openblas(machine):
    assert course.second_kernel(machine, OPENBLAS) == ("Prescott", "")


@pytest.mark.parametrize("machine", ["arm64", "aarch64"])
def test_second_pass_is_skipped_off_x86_64(machine):
    kernel, reason = course.second_kernel(machine, OPENBLAS)
    assert kernel is None
    assert f"this CPU is {machine}, not x86-64" in reason


@pytest.mark.parametrize(
    "libs, named",
    [
        ([{"user_api": "blas", "internal_api": "mkl"}], "mkl"),
        ([], "no BLAS library"),
    ],
)
def test_second_pass_is_skipped_without_openblas(libs, named):
    kernel, reason = course.second_kernel("x86_64", libs)
    assert kernel is None
    assert named in reason and "not OpenBLAS" in reason


# ------------------------------------------------------------------------ Python version


def test_python_version_check_names_the_supported_range():
    assert "needs Python 3.11.5 to 3.14" in course.python_problem((3, 11, 4))
    assert "Python 3.10.12 is too old" in course.python_problem((3, 10, 12))
    assert course.python_problem((3, 11, 5)) is None
    assert course.python_problem((3, 14, 0)) is None


def test_requires_python_matches_the_script():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["requires-python"] == ">=" + ".".join(map(str, course.MIN_PYTHON))


# ------------------------------------------------------------------------ test summary


def test_summary_lines_add_up_to_one_plain_closing_line():
    first = "===== 1 failed, 300 passed, 2 skipped, 3 warnings in 200.10s (0:03:20) ====="
    second = "============ 194 passed in 61.20s (0:01:01) ============"
    assert course._SUMMARY.match(first) and course._SUMMARY.match(second)
    assert not course._SUMMARY.match("tests/test_x.py::test_passed PASSED in 3s")
    counts = [course.summary_counts(first), course.summary_counts(second)]
    assert course.plain_total(counts) == "494 passed, 1 failed, 2 skipped"
    assert course.summary_counts("== 2 errors in 1.0s ==") == {"failed": 2}


# ------------------------------------------------------------------------ command line


def test_second_pass_env_combines_the_kernel_and_numpys_baseline():
    assert course.second_pass_env("Prescott", ["X86_V3", "X86_V4", "AVX512_ICL"]) == {
        "OPENBLAS_CORETYPE": "Prescott",
        "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL",
    }
    assert course.second_pass_env(None, []) == {}


def test_test_passes_unknown_arguments_to_pytest(capsys, monkeypatch):
    monkeypatch.setattr(course.Context, "setup", lambda self, level="course": None)
    assert course.main(["test", "--dry-run", "--no-second-kernel", "-k", "lstm", "-x"]) == 0
    out = capsys.readouterr().out
    assert "-m pytest -p tools.pytest_stages tests/grading tests/classroom -k lstm -x" in out
    assert (
        "-m pytest --nbval --nbval-current-env --nbval-sanitize-with "
        "tests/nbval-sanitize.cfg -p tools.pytest_stages tests notebooks "
        "--ignore=tests/grading --ignore=tests/classroom --ignore=tests/browser -k lstm -x" in out
    )
    assert "-m pytest -p tools.pytest_stages tests/browser -k lstm -x" in out
    assert "Prescott: skipped (--no-second-kernel)" in out


def test_commands_without_arguments_refuse_them(capsys):
    with pytest.raises(SystemExit):
        course.main(["navigation", "--dry-run", "extra"])
    assert "navigation takes no arguments, got extra" in capsys.readouterr().err


def test_clean_refuses_a_folder_that_is_not_a_venv(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("precious")
    assert course.main(["clean", "--venv", str(tmp_path)]) == 1
    assert (tmp_path / "keep.txt").exists()
    assert "not a venv" in capsys.readouterr().out


def test_every_makefile_target_calls_the_script():
    makefile = (ROOT / "Makefile").read_text()
    for name in (
        "course",
        "notebook",
        "test",
        "execute",
        "navigation",
        "diagrams",
        "benchmark",
        "clean",
    ):
        assert name in course.COMMANDS
        assert f"$(COURSE) {name} --venv $(VENV)" in makefile


def test_venv_python_version_reads_pyvenv_cfg(tmp_path):
    assert course.venv_python_version(tmp_path) is None
    (tmp_path / "pyvenv.cfg").write_text("home = C:\\Python310\nversion = 3.10.11\n")
    assert course.venv_python_version(tmp_path) == (3, 10, 11)
    assert "too old" in course.python_problem(course.venv_python_version(tmp_path))


# ------------------------------------------------------------------------ the test command


def _fake_test_run(
    monkeypatch, first, second, machine="x86_64", levels=("X86_V3", "X86_V4"), browser=None
):
    """Run ``test`` with pytest replaced by canned (exit code, summary line) results.

    ``first`` answers both foreground runs (the two-core suites, then the rest), or is a
    list of one answer each; ``second`` answers the older-CPU pass and ``browser`` the
    browser suites (default: as ``first``'s last). Returns the list of (which run, env) in
    the order they started: "both", "older", "browser", "rest".
    """
    calls = []
    answers = list(first) if isinstance(first, list) else [first, first]
    background = {"older": second, "browser": browser or answers[-1]}

    def run_teed(self, cmd, env=None):
        calls.append(("both" if "tests/grading" in cmd else "rest", env))
        return answers.pop(0)

    def start_logged(self, cmd, env=None):  # the older-CPU pass and the browser suites
        which = "browser" if "tests/browser" in cmd else "older"
        calls.append((which, env))
        return which

    def finish_logged(self, started):
        return background[started]

    monkeypatch.setattr(course.Context, "setup", lambda self, level="course": None)
    monkeypatch.setattr(course.Context, "run", lambda self, cmd, env=None, check=True: 0)
    monkeypatch.setattr(course.Context, "run_teed", run_teed)
    monkeypatch.setattr(course.Context, "start_logged", start_logged)
    monkeypatch.setattr(course.Context, "finish_logged", finish_logged)
    monkeypatch.setattr(course.Context, "blas_libraries", lambda self, env=None: OPENBLAS)
    monkeypatch.setattr(course.Context, "numpy_dispatch_levels", lambda self: list(levels))
    monkeypatch.setattr(course.platform, "machine", lambda: machine)
    return calls


def test_no_tests_collected_is_said_loudly(monkeypatch, capsys):
    _fake_test_run(monkeypatch, (5, "== no tests ran in 0.01s =="), (5, "== no tests =="))
    assert course.main(["test"]) == 0
    out = capsys.readouterr().out
    assert "NO TESTS RAN" in out
    assert out.splitlines()[-1] == "0 passed, 0 failed"


def test_both_passes_count_and_either_failing_fails(monkeypatch, capsys):
    calls = _fake_test_run(
        monkeypatch,
        [(0, "== 100 passed in 500.0s =="), (0, "== 200 passed, 1 skipped in 90.0s ==")],
        (1, "== 1 failed, 193 passed in 60.0s =="),
        browser=(0, "== 17 passed in 300.0s =="),
    )
    assert course.main(["test"]) == 1
    # the two-core suites run alone first; then the older-CPU pass and the browser suites
    # start in the background, and the rest runs in the foreground beside them
    assert calls == [
        ("both", None),
        ("older", {"OPENBLAS_CORETYPE": "Prescott", "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4"}),
        ("browser", None),
        ("rest", None),
    ]
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "total: 510 passed, 1 failed, 1 skipped"
    assert lines[-5] == "tests/grading and tests/classroom: == 100 passed in 500.0s =="
    assert lines[-4] == "tests/ (the rest) and notebooks/: == 200 passed, 1 skipped in 90.0s =="
    assert lines[-3] == "tests/browser: == 17 passed in 300.0s =="


def test_a_run_that_selects_nothing_is_not_a_failure(monkeypatch, capsys):
    """``make test ARGS="-k 05-"``: the two-core suites collect nothing (exit 5)."""
    _fake_test_run(
        monkeypatch,
        [(5, "== 1 deselected in 1.0s =="), (0, "== 26 passed in 9.0s ==")],
        (0, "== 26 passed in 9.0s =="),
        browser=(5, "== 17 deselected in 1.0s =="),
    )
    assert course.main(["test"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "total: 52 passed, 0 failed"


def test_second_pass_off_x86_64_holds_numpy_at_its_baseline_alone(monkeypatch, capsys):
    calls = _fake_test_run(
        monkeypatch,
        (0, "== 300 passed in 90.0s =="),
        (0, "== 194 passed =="),
        machine="arm64",
        levels=("ASIMDHP",),
    )
    assert course.main(["test"]) == 0
    assert calls == [
        ("both", None),
        ("older", {"NPY_DISABLE_CPU_FEATURES": "ASIMDHP"}),
        ("browser", None),
        ("rest", None),
    ]
    out = capsys.readouterr().out
    assert "no other OpenBLAS kernel in the second pass: this CPU is arm64, not x86-64" in out
    assert out.splitlines()[-1] == "total: 1094 passed, 0 failed"


def test_second_pass_skipped_when_nothing_differs_says_why(monkeypatch, capsys):
    calls = _fake_test_run(
        monkeypatch, (0, "== 300 passed in 90.0s =="), None, machine="arm64", levels=()
    )
    assert course.main(["test"]) == 0
    assert calls == [("both", None), ("browser", None), ("rest", None)]
    out = capsys.readouterr().out
    assert "second notebook pass skipped: no other BLAS kernel" in out
    assert out.splitlines()[-1] == "total: 900 passed, 0 failed"
