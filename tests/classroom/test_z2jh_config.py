"""The Zero to JupyterHub values file, checked by its structure (Kubernetes can't run here).

It must parse, use only keys the jupyterhub Helm chart documents (its schema.yaml and
values.yaml list them; the subset this file may use is spelled out below), and carry
memory settings that cover the load test's measurement (classroom/measured.json).
"""

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "classroom" / "z2jh" / "config.yaml"
MEASURED = json.loads((ROOT / "classroom" / "measured.json").read_text())

# Keys of the chart this course uses, by path; any other key is a typo until added here.
DOCUMENTED = {
    "singleuser": {
        "image",
        "memory",
        "cpu",
        "storage",
        "defaultUrl",
        "lifecycleHooks",
        "cmd",
        "extraEnv",
        "startTimeout",
    },
    "singleuser.image": {"name", "tag", "pullPolicy"},
    "singleuser.memory": {"guarantee", "limit"},
    "singleuser.cpu": {"guarantee", "limit"},
    "singleuser.storage": {"capacity", "type", "homeMountPath"},
    "singleuser.lifecycleHooks": {"postStart", "preStop"},
    "hub": {"config", "extraConfig", "db", "resources", "concurrentSpawnLimit"},
    "cull": {"enabled", "timeout", "every", "users", "maxAge", "concurrency"},
    "scheduling": {"userScheduler", "podPriority", "userPlaceholder"},
    "scheduling.userScheduler": {"enabled", "replicas"},
    "prePuller": {"hook", "continuous"},
    "prePuller.hook": {"enabled"},
    "proxy": {"https", "service", "chp"},
    "ingress": {"enabled", "hosts", "tls", "annotations"},
}
TOP = {"singleuser", "hub", "cull", "scheduling", "prePuller", "proxy", "ingress", "debug"}

UNITS = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def to_bytes(quantity):
    """Kubernetes memory quantity ('512M', '1Gi') in bytes."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?", str(quantity))
    assert m, f"not a Kubernetes quantity: {quantity!r}"
    return float(m.group(1)) * UNITS[m.group(2) or ""]


def config():
    return yaml.safe_load(CONFIG.read_text())


def test_config_parses_and_uses_documented_keys_only():
    cfg = config()
    assert set(cfg) <= TOP, set(cfg) - TOP
    for path, allowed in DOCUMENTED.items():
        node = cfg
        for part in path.split("."):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict):
            assert set(node) <= allowed, f"{path}: undocumented {set(node) - allowed}"


def test_memory_settings_cover_the_measured_peaks():
    mem = config()["singleuser"]["memory"]
    light = MEASURED["peak_mib_per_student_light"] * 2**20
    heavy = MEASURED["peak_mib_per_student_heavy"] * 2**20
    assert to_bytes(mem["guarantee"]) >= light, "the guarantee must hold the light notebooks"
    assert to_bytes(mem["limit"]) >= 1.25 * heavy, "the limit needs headroom over 06/07"
    assert to_bytes(mem["limit"]) >= to_bytes(mem["guarantee"])


def test_culling_and_course_pull_are_configured():
    cfg = config()
    assert cfg["cull"]["enabled"] is True and cfg["cull"]["timeout"] > 0
    cmd = cfg["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert cmd[0] == "gitpuller", "nbgitpuller pulls the course into each home"
    assert cfg["singleuser"]["defaultUrl"].endswith("notebooks/00-Start-Here.ipynb")


def test_the_readme_quotes_the_measured_figures():
    readme = (ROOT / "classroom" / "README.md").read_text()
    for key in ("peak_mib_per_student_light", "peak_mib_per_student_heavy"):
        assert f"{MEASURED[key]} MiB" in readme, f"classroom/README.md must quote {key}"


def test_the_image_installs_the_runtime_not_the_developer_pins():
    runtime = (ROOT / "binder" / "requirements.txt").read_text().lower()
    names = {
        line.split("==")[0].strip()
        for line in runtime.splitlines()
        if line and not line.startswith("#")
    }
    for dev in (
        "jupyterlab",
        "notebook",
        "pytest",
        "playwright",
        "ruff",
        "jupyter-server",
        "jupyter_server",
    ):
        assert dev not in names, f"{dev} would replace the hub image's own server"
    for need in ("numpy", "matplotlib", "ipywidgets", "threadpoolctl"):
        assert need in names
    # and the learner's install is this runtime plus JupyterLab: one list, not two
    assert "-r binder/requirements.txt" in (ROOT / "requirements.txt").read_text()
