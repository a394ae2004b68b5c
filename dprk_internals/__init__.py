"""Every contact with another library's private or undocumented internals, in one place.

Each module here says which internal it uses, why the public API is not enough, the upstream issue, and
what happens when the internal is missing (a fallback to the public API). ``DPRK_PLAIN=1`` in the
environment turns every one of them off, so that the whole suite runs on public APIs only. See
``docs/architecture.md``.
"""

import os


def enabled() -> bool:
    """Whether the internals paths are on: ``DPRK_PLAIN=1`` (or ``true``, ``yes``) turns every one off."""
    return os.environ.get("DPRK_PLAIN", "") not in ("1", "true", "yes")
