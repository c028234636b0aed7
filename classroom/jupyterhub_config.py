"""JupyterHub for a class on one server, running *Recurrent networks from scratch*.

One file for both uses:

* the local test and ``make classroom``: every student is spawned as the
  current OS user (``SimpleLocalProcessSpawner``) in a home folder of their own
  under ``COURSE_HUB_DIR/homes``, and logs in with one shared password
  (``SharedPasswordAuthenticator``);
* a real class on one machine: set ``COURSE_HUB_REAL_CLASS=1`` and read the
  README's "What a real class changes" (system users and ``LocalProcessSpawner``
  or a container spawner, and a real authenticator).

Every setting comes from an environment variable with a safe default, so the
file itself never holds a secret:

==========================  ===================================================
COURSE_HUB_DIR              where the hub keeps its database, cookie secret and
                            the students' homes (default ``build/classroom``)
COURSE_HUB_PORT             the public port on 127.0.0.1 (default 8000)
COURSE_HUB_PASSWORD         the shared student password (default: a random one,
                            written to ``COURSE_HUB_DIR/password``)
COURSE_HUB_SERVICE_TOKEN    an API token for an admin service named
                            ``course-admin`` (the load test uses it)
COURSE_HUB_SINGLEUSER       the ``jupyterhub-singleuser`` to spawn (default:
                            the one next to the running Python)
COURSE_HUB_PROXY            the ``configurable-http-proxy`` command (default:
                            ``classroom/node_modules/.bin/configurable-http-proxy``)
COURSE_HUB_CULL_TIMEOUT     idle seconds before a server is culled (default 3600)
COURSE_HUB_SINGLEUSER_ARGS  extra arguments for every student server, separated by
                            spaces (the browser test exposes JupyterLab's app)
==========================  ===================================================
"""

import os
import secrets
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (JupyterHub's config loader provides it)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
from classroom import launch  # noqa: E402  (standard library only)

HUB_DIR = Path(os.environ.get("COURSE_HUB_DIR", REPO / "build" / "classroom")).resolve()
HUB_DIR.mkdir(parents=True, exist_ok=True)
PORT = int(os.environ.get("COURSE_HUB_PORT", "8000"))
NOTEBOOKS = REPO / "notebooks"
REAL_CLASS = os.environ.get("COURSE_HUB_REAL_CLASS") == "1"

# -- network: the hub, the proxy and every student server listen on 127.0.0.1 only.
# Put a TLS-terminating web server (nginx, Caddy) in front for a real class.
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
# The hub's own API port: next to the proxy's, so two hubs (two test sessions) never share 8081.
c.JupyterHub.hub_port = PORT + 2
c.Spawner.ip = "127.0.0.1"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 1}"
proxy = os.environ.get("COURSE_HUB_PROXY") or str(
    HERE / "node_modules" / ".bin" / "configurable-http-proxy"
)
c.ConfigurableHTTPProxy.command = [proxy]

# -- state of the hub, kept out of the repository
c.JupyterHub.db_url = f"sqlite:///{HUB_DIR / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB_DIR / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(HUB_DIR / "jupyterhub.pid")

# -- the single-user servers: the course's runtime environment
singleuser = os.environ.get("COURSE_HUB_SINGLEUSER") or str(
    Path(sys.executable).with_name("jupyterhub-singleuser")
)
c.Spawner.cmd = [singleuser]
c.Spawner.default_url = "/lab/tree/notebooks/00-Start-Here.ipynb"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
args = os.environ.get("COURSE_HUB_SINGLEUSER_ARGS", "").split()
if not REAL_CLASS:
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(HUB_DIR / "homes" / "{username}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Every student runs as the current user; Jupyter refuses root without this.
        args.append("--allow-root")
# Kernels talk to their server over Unix sockets, not TCP ports. With TCP, each server
# picks five free ports per kernel by binding port 0 and letting go; with many servers on
# one machine, two kernels can pick the same port in the moment between. Seen in the load
# test: a kernel failed with "ZMQError: Address already in use", its restarter retried the
# same ports five times, gave up, and the student's websocket closed mid-notebook. Sockets
# in the student's runtime folder cannot collide.
args.append("--KernelManager.transport=ipc")
c.Spawner.args = args


def copy_course(spawner):
    """Give each student their own copy of the notebooks (and the diagrams they show).

    A student's edits stay in their home; a later start never overwrites them.
    """
    home = Path(
        spawner.home_dir
        if hasattr(spawner, "home_dir")
        else os.path.expanduser(f"~{spawner.user.name}")
    )
    home.mkdir(parents=True, exist_ok=True)
    if not REAL_CLASS:  # every student is this OS user: the hub can make their folder
        spawner.environment = {
            **spawner.environment,
            "JUPYTER_RUNTIME_DIR": str(launch.runtime_dir(HUB_DIR, home, spawner.user.name)),
        }
    for name in ("notebooks", "images", "data"):
        target = home / name
        if not target.exists():
            shutil.copytree(
                REPO / name, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.py")
            )


c.Spawner.pre_spawn_hook = copy_course

# -- a test run's mark: every process the hub starts carries it, so that the run's
# watchdog (tests/classroom/reaper.py) can end them all if the run dies without teardown.
TEST_RUN = os.environ.get("COURSE_TEST_RUN")
if TEST_RUN:
    c.Spawner.environment = {"COURSE_TEST_RUN": TEST_RUN}

# -- who can log in
password_file = HUB_DIR / "password"
password = os.environ.get("COURSE_HUB_PASSWORD")
if not password:
    if password_file.exists():
        password = password_file.read_text().strip()
    else:
        password = secrets.token_urlsafe(12)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
if not REAL_CLASS:
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = password
    c.Authenticator.allow_all = True

# -- an admin service for scripts (the load test, a roster import)
services = []
roles = []
token = os.environ.get("COURSE_HUB_SERVICE_TOKEN")
if token:
    services.append({"name": "course-admin", "api_token": token})
    roles.append(
        {
            "name": "course-admin",
            "scopes": [
                "admin:users",
                "admin:servers",
                "tokens",
                "list:users",
                "read:users",
                "access:servers",
            ],
            "services": ["course-admin"],
        }
    )

# -- idle culling: stop servers nobody has used for an hour (jupyterhub-idle-culler)
cull_timeout = int(os.environ.get("COURSE_HUB_CULL_TIMEOUT", "3600"))
services.append(
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={cull_timeout}",
            "--cull-every=300",
        ],
        **({"environment": {"COURSE_TEST_RUN": TEST_RUN}} if TEST_RUN else {}),
    }
)
roles.append(
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
)
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
