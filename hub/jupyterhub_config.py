"""FOR TESTS ONLY: a local JupyterHub on 127.0.0.1 for the suite's end-to-end hub test.

Never serve students with this file. Anyone reaching it logs in with any name and one shared password (a
test authenticator), and every user's server runs as the same system user (as root, if the hub runs as
root). It refuses to start unless ``DPRK_TEST_HUB=1`` is set, which the test does. A university starts
from ``hub/production_example.py`` (its own login, one unprivileged and limited user per student); this
file loads that example first and replaces only the login and the spawner with test doubles, so the test
exercises the rest of it. The proxy is configurable-http-proxy from npm, installed into
build/node_modules by ``./suite test``.

Settings come from the environment (all optional):
  HUB_PORT (8000), HUB_API_PORT (8081), HUB_PROXY_API_PORT (8001), HUB_STATE (build/hub),
  HUB_PASSWORD (classroom), HUB_SINGLEUSER (the singleuser command of this environment).

    jupyterhub -f hub/jupyterhub_config.py
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

if os.environ.get("DPRK_TEST_HUB") != "1":
    raise SystemExit(
        "hub/jupyterhub_config.py is the suite's TEST hub (a shared password; every user as one system user) "
        "and starts only under its test (DPRK_TEST_HUB=1). Serve students from a copy of "
        "hub/production_example.py instead (docs/classroom.md, JupyterHub)."
    )

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DPRK_SUITE_DIR", str(ROOT))
load_subconfig(str(ROOT / "hub" / "production_example.py"))  # noqa: F821 (provided by JupyterHub)
STATE = Path(os.environ.get("HUB_STATE", ROOT / "build" / "hub"))
(STATE / "homes").mkdir(parents=True, exist_ok=True)
BIN = Path(sys.executable).parent

c.JupyterHub.services = []  # no idle-culler service in a test of a few minutes
c.JupyterHub.load_roles = []
c.JupyterHub.bind_url = f"http://127.0.0.1:{int(os.environ.get('HUB_PORT', '8000'))}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(ROOT / "build" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True

# Test doubles for the two things a university replaces: the login (any user name, one shared password)
# and the spawner (local processes as this system user).
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ.get("HUB_PASSWORD", "classroom")
c.Authenticator.allow_all = True

# Single-user servers as local processes, each with its own home folder.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
c.Spawner.cmd = [os.environ.get("HUB_SINGLEUSER", str(BIN / "jupyterhub-singleuser"))]
c.Spawner.args = [*c.Spawner.args, "--ServerApp.ip=127.0.0.1"]
c.Spawner.default_url = ""  # the test opens its own addresses
c.Spawner.mem_limit = None  # the local-process spawner cannot enforce limits
c.Spawner.cpu_limit = None
# (Voilà's extension_denylist cannot be given here: as a server extension Voilà 0.5.13 then fails with
# "object of type 'NoneType' has no len()". Its front end logs that the jupytext extension failed to
# load; harmless.)
if os.getuid() == 0:
    c.Spawner.args.append("--allow-root")
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "PYTHONPATH", "MPLBACKEND", "PYTHONDONTWRITEBYTECODE"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
