"""``python -m classroom``: the classroom command line."""

import sys

from .cli import main

sys.exit(main())
