"""What an uncertainty analysis looks at: one number per draw and year (from :mod:`model.outcomes`).

The definitions live in the one outcome registry, :mod:`model.outcomes`; this module keeps the names the
uncertainty package has always offered.
"""

from __future__ import annotations

from model.outcomes import CHANNEL_LABELS, HEADLINE_TABLE, HEADLINES, PARTNER_NAMES, SHARES, Quantity, headline

__all__ = ["CHANNEL_LABELS", "HEADLINES", "HEADLINE_TABLE", "PARTNER_NAMES", "SHARES", "Quantity", "headline"]
