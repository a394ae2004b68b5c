"""An example JupyterHub configuration for a university serving the suite to its students.

Copy it, fill in the marked settings, and run the hub as the university's IT runs services. What it
does, and why:

* **Your own login.** Students sign in with the university's accounts (here OAuth/OpenID Connect with
  the ``oauthenticator`` package; LDAP or an LMS through LTI work the same way). Never a shared password.
* **Each student isolated, nobody as root.** ``systemdspawner`` starts each student's server as a
  transient unprivileged user (``dynamic_users``) in its own systemd unit, with a private /tmp, no
  devices, no sudo, and limits on memory and CPU, so one student's runaway kernel cannot take the
  machine from the others. (On Kubernetes, Zero to JupyterHub's KubeSpawner gives the same isolation.)
* **Idle servers stopped** by jupyterhub-idle-culler, and idle kernels by each user server.
* **Offline pages.** The suite's two folders on the user servers' Jupyter paths, so the apps' pages ask
  nothing of outside hosts (docs/classroom.md, "Keep the pages offline on a hub").

The local test hub (``hub/jupyterhub_config.py``) loads this file first and then replaces only the login
and the spawner with test doubles, so ``tests/test_jupyterhub.py`` exercises everything else here.
Packages for this file: ``jupyterhub``, ``oauthenticator``, ``jupyterhub-systemdspawner``,
``jupyterhub-idle-culler`` (and the suite itself, ``pip install .[serve]``, in the users' environment).

Settings from the environment (the ones marked *required* have no default that is safe to use):
  DPRK_SUITE_DIR    where this repository is deployed (default /opt/dprk-lifelines)
  HUB_PUBLIC_URL    the hub's address, e.g. https://jupyter.example.edu (*required* for OAuth)
  OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, OAUTH_AUTHORIZE_URL, OAUTH_TOKEN_URL, OAUTH_USERDATA_URL
                    from the university's identity provider (*required*)
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

SUITE = Path(os.environ.get("DPRK_SUITE_DIR", "/opt/dprk-lifelines"))
PUBLIC_URL = os.environ.get("HUB_PUBLIC_URL", "https://jupyter.example.edu")

# ---------------------------------------------------------------------------------------------- login
c.JupyterHub.authenticator_class = "generic-oauth"
c.GenericOAuthenticator.client_id = os.environ.get("OAUTH_CLIENT_ID", "")
c.GenericOAuthenticator.client_secret = os.environ.get("OAUTH_CLIENT_SECRET", "")
c.GenericOAuthenticator.oauth_callback_url = f"{PUBLIC_URL}/hub/oauth_callback"
c.GenericOAuthenticator.authorize_url = os.environ.get("OAUTH_AUTHORIZE_URL", "")
c.GenericOAuthenticator.token_url = os.environ.get("OAUTH_TOKEN_URL", "")
c.GenericOAuthenticator.userdata_url = os.environ.get("OAUTH_USERDATA_URL", "")
c.GenericOAuthenticator.username_claim = "preferred_username"
# Only the course's members: list them, or allow a group your identity provider sends.
c.Authenticator.allowed_users = set()
c.GenericOAuthenticator.allowed_groups = {"dprk-seminar"}
c.GenericOAuthenticator.manage_groups = True
c.Authenticator.admin_users = set()  # the lecturers' user names

# ---------------------------------------------------------------------------------------------- servers
c.JupyterHub.spawner_class = "systemd"
c.SystemdSpawner.dynamic_users = True  # a transient, unprivileged user per student: never root
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
c.SystemdSpawner.unit_name_template = "jupyter-{USERNAME}-singleuser"
c.Spawner.mem_limit = "2G"  # the lab app's kernel needs about 150 MB; the uncertainty app up to 1.5 GB
c.Spawner.cpu_limit = 1.0
c.Spawner.default_url = "/voila/render/notebooks/05_scenario_lab.ipynb"
c.Spawner.args = ["--LabApp.news_url=None", "--MappingKernelManager.cull_idle_timeout=1200"]
c.Spawner.environment = {
    "JUPYTER_PATH": str(SUITE / "classroom" / "share"),
    "JUPYTER_CONFIG_PATH": str(SUITE / "hub" / "user-config"),
}

# ---------------------------------------------------------------------------------------------- idle servers
c.JupyterHub.load_roles = [
    {"name": "idle-culler", "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}
]
c.JupyterHub.services = [
    {"name": "idle-culler", "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600"]}
]
c.JupyterHub.load_roles[0]["services"] = ["idle-culler"]

# ---------------------------------------------------------------------------------------------- the hub itself
# Behind the university's HTTPS front end; give the hub its own certificate instead if there is none:
#   c.JupyterHub.ssl_cert = "/etc/ssl/certs/jupyter.pem"; c.JupyterHub.ssl_key = "/etc/ssl/private/jupyter.key"
c.JupyterHub.bind_url = "http://127.0.0.1:8000"
c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/jupyterhub_cookie_secret"
c.JupyterHub.db_url = "sqlite:////srv/jupyterhub/jupyterhub.sqlite"
