"""Rewrite tests/data/preset_headlines.json after a deliberate change to the model or its data.

Run ``.venv/bin/python tests/regenerate_preset_headlines.py`` and review the diff: every changed
number should be explained by the change you made.
"""

import json
from pathlib import Path

from model import simulate
from model.scenarios import load_preset, preset_names

YEARS = (2019, 2024, 2027, 2035)
TARGET = Path(__file__).with_name("data") / "preset_headlines.json"


def headlines() -> dict:
    table = {}
    for name in preset_names():
        results = simulate(load_preset(name).params)
        table[name] = {str(year): results.headline(year) for year in YEARS}
    return table


if __name__ == "__main__":
    TARGET.write_text(json.dumps(headlines(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}")
