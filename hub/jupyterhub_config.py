"""A local JupyterHub for trying the suite as a class's hub would serve it, and for its end-to-end test.

Everything binds to 127.0.0.1. Users log in with any name and the shared password (a test
authenticator, never for real use); each gets a single-user Jupyter server started as a local process
(SimpleLocalProcessSpawner, all users as the same system user, homes under HUB_STATE/homes). The proxy
is configurable-http-proxy from npm, installed into build/node_modules by ``./suite test``.

Settings come from the environment (all optional):
  HUB_PORT (8000), HUB_API_PORT (8081), HUB_PROXY_API_PORT (8001), HUB_STATE (build/hub),
  HUB_PASSWORD (classroom), HUB_SINGLEUSER (the singleuser command of this environment).

    jupyterhub -f hub/jupyterhub_config.py
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

ROOT = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("HUB_STATE", ROOT / "build" / "hub"))
(STATE / "homes").mkdir(parents=True, exist_ok=True)
BIN = Path(sys.executable).parent

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ.get("HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(ROOT / "build" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True

# A test authenticator: any user name, one shared password.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ.get("HUB_PASSWORD", "classroom")
c.Authenticator.allow_all = True

# Single-user servers as local processes, each with its own home folder.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
c.Spawner.cmd = [os.environ.get("HUB_SINGLEUSER", str(BIN / "jupyterhub-singleuser"))]
c.Spawner.args = [
    "--ServerApp.ip=127.0.0.1",
    "--LabApp.news_url=None",
]
# (Voilà's extension_denylist cannot be given here: as a server extension Voilà 0.5.13 then fails with
# "object of type 'NoneType' has no len()". hub/user-config/voila.json gives it instead, leaving out of
# the pages the jupytext and Notebook 7 front-end extensions, which fail to load there.)
if os.getuid() == 0:
    c.Spawner.args.append("--allow-root")
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "PYTHONPATH", "MPLBACKEND", "PYTHONDONTWRITEBYTECODE"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# Each user's apps: culled by the user server itself after 20 idle minutes.
c.Spawner.args.append("--MappingKernelManager.cull_idle_timeout=1200")
# The apps' pages ask nothing of outside hosts. As a server extension Voilà reads its settings only
# from voila.json/voila.py on the Jupyter config path (not from the command line), and its pages then
# use its own lab template, which links Font Awesome from cdn.jsdelivr.net, and the server's MathJax
# address, which defaults to cdnjs. hub/user-config holds the two settings that prevent both (the
# suite's offline template; no MathJax address, so the page's own MathJax is used, as with Voilà
# alone); classroom/share holds the template. A university hub gives its user servers the same two
# folders (docs/classroom.md, JupyterHub).
c.Spawner.environment = {
    "JUPYTER_PATH": str(ROOT / "classroom" / "share"),
    "JUPYTER_CONFIG_PATH": str(ROOT / "hub" / "user-config"),
}
