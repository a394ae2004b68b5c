"""One timeline: every module reads its years from model.timeline."""

import re
from pathlib import Path

import numpy as np

from model import episodes, registry, timeline

ROOT = Path(__file__).resolve().parent.parent


def test_episodes_share_the_timeline():
    # episodes.py re-exports the timeline's years for older imports; they are the same objects.
    assert episodes.FIRST_YEAR == timeline.FIRST_YEAR and episodes.LAST_YEAR == timeline.LAST_YEAR
    assert episodes.FIRST_PROJECTION_YEAR == timeline.FIRST_PROJECTION_YEAR
    assert np.array_equal(episodes.YEARS, timeline.YEARS)
    assert timeline.FIRST_PROJECTION_YEAR == registry.get("first_projection_year").default


def test_ticks_are_round_years_on_the_timeline():
    ticks = timeline.tick_years()
    assert ticks and all(t % 5 == 0 and timeline.FIRST_YEAR <= t <= timeline.LAST_YEAR for t in ticks)


# Code outside the timeline names no simulated year (prose, comments and strings about history aside).
CODE_FILES = [
    *(ROOT / "model").rglob("*.py"),
    *(ROOT / "notebooks").glob("*.py"),
]
EXEMPT = {"timeline.py"}
YEAR = re.compile(r"^20[1-3]\d$")


def _numbers(path):
    """Number literals in the code (strings, docstrings and comments left out): line, text, value."""
    import io
    import tokenize

    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for token in tokens:
        if token.type == tokenize.NUMBER:
            yield token.start[0], token.line, token.string


def test_no_year_literals_outside_the_timeline():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {code.strip()}"
        for path in CODE_FILES
        if path.name not in EXEMPT
        for number, code, value in _numbers(path)
        if YEAR.match(value)
    ]
    assert found == []
