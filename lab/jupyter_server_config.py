"""The suite's JupyterLab configuration, loaded by ``./suite lab`` (``--config=lab/jupyter_server_config.py``).

What it does and why: :mod:`dprk_cli.lab_config`.
"""

from dprk_cli.lab_config import SETTINGS_DIR, strip_outputs

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)
c.FileContentsManager.pre_save_hook = strip_outputs
c.LabApp.app_settings_dir = str(SETTINGS_DIR)
c.LabApp.news_url = None
