"""The hub configurations: the test hub refuses to serve outside its test; the production example is safe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "hub"


def _load(name: str, **env: str):
    """Load a hub config file as JupyterHub does (``get_config``, ``load_subconfig``) with this environment."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        return PyFileConfigLoader(name, path=str(HUB)).load_config()
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.mark.slow  # starts jupyterhub
def test_the_test_hub_refuses_to_start_outside_its_test():
    env = {k: v for k, v in os.environ.items() if k != "DPRK_TEST_HUB"}
    hub = Path(sys.executable).with_name("jupyterhub")
    result = subprocess.run(
        [str(hub), "-f", str(HUB / "jupyterhub_config.py"), "--show-config"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT / "hub",
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "TEST hub" in result.stderr + result.stdout and "production_example.py" in result.stderr + result.stdout


def test_the_production_example_has_its_own_login_isolated_unprivileged_limited_servers():
    config = _load("production_example.py", DPRK_SUITE_DIR=str(ROOT))
    hub, spawner = config.JupyterHub, config.Spawner
    assert hub.authenticator_class not in ("dummy", "null", "shared-password")
    assert not config.DummyAuthenticator and "allow_all" not in config.Authenticator
    assert hub.spawner_class == "systemd" and config.SystemdSpawner.dynamic_users is True
    assert config.SystemdSpawner.isolate_tmp and config.SystemdSpawner.disable_user_sudo
    assert spawner.mem_limit and spawner.cpu_limit
    assert not any("allow-root" in arg for arg in spawner.args)
    assert any(s["name"] == "idle-culler" for s in hub.services)
    # The pages stay offline: the suite's two folders on the user servers' Jupyter paths.
    assert Path(spawner.environment["JUPYTER_PATH"], "voila", "templates", "offline").is_dir()
    assert Path(spawner.environment["JUPYTER_CONFIG_PATH"], "voila.json").is_file()


def test_the_test_hub_is_the_production_example_with_test_doubles_for_login_and_spawner():
    production = _load("production_example.py", DPRK_SUITE_DIR=str(ROOT))
    test = _load("jupyterhub_config.py", DPRK_TEST_HUB="1", HUB_STATE=str(ROOT / "build" / "hub-config-test"))
    assert test.JupyterHub.authenticator_class == "dummy" and test.JupyterHub.spawner_class == "simple"
    assert test.Spawner.environment == production.Spawner.environment
    assert set(production.Spawner.args) <= set(test.Spawner.args)
    assert test.JupyterHub.bind_url.startswith("http://127.0.0.1:")
