"""Entry point for ``python -m model``."""

import sys

from dprk_cli import main

sys.exit(main())
