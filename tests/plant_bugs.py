"""Show that the tests bite: plant one bug at a time in a copy of the model's equations and see which tests fail.

Run ``.venv/bin/python tests/plant_bugs.py`` (a few minutes). For each planted bug it copies the project to a
temporary folder, edits ``model/mechanism.py`` or ``model/flows.py`` there, runs the model tests (the economics
by hand, the properties, the lever properties, history, presets and dependence) except the preset snapshot,
and prints which tests failed. Its last line is a JSON object: per bug, the number of failing tests other than
the snapshot (every count must be at least one). docs/testing.md quotes a run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = [
    "tests/test_economics.py",
    "tests/test_core_properties.py",
    "tests/test_levers.py",
    "tests/test_history.py",
    "tests/test_presets.py",
    "tests/test_dependence.py",
]

# name: (file under model/, text in it, its replacement; every occurrence is replaced)
BUGS = {
    "diversion sign flipped": (
        "mechanism.py",
        "diversion_share * blocked[RUSSIA] * keep[CHINA]",
        "-diversion_share * blocked[RUSSIA] * keep[CHINA]",
    ),
    "Russian route capacity removed": (
        "mechanism.py",
        "room = None if russia_capacity is None else np.maximum(russia_capacity - own[RUSSIA], 0.0)",
        "room = None",
    ),
    "labour hard currency x 1.1": (
        "flows.py",
        "own[CHINA] * pay[CHINA] + into_china",
        "own[CHINA] * pay[CHINA] * 1.1 + into_china",
    ),
    "smuggled oil free again": (
        "flows.py",
        'smuggled_price = w.refined_price * p["smuggled_oil_premium"]',
        "smuggled_price = 0.0 * w.refined_price",
    ),
    "reported deliveries proportional to the cap again": (
        "flows.py",
        'np.minimum(np.minimum(refined_gap, p["reported_refined_bbl"]), p["refined_oil_cap_bbl"])',
        'np.minimum(refined_gap, p["refined_oil_cap_bbl"] * p["reported_refined_bbl"] / 500_000.0)',
    ),
    "diverted workers paid the host's average wage again": (
        "flows.py",
        "into_russia * china_part * np.minimum(pay[RUSSIA], pay[CHINA])",
        "into_russia * china_part * pay[RUSSIA]",
    ),
    "China and Russia swapped in reported oil": (
        "flows.py",
        'reported_china = legal * p["reported_refined_china_share"]',
        'reported_china = legal * (1.0 - p["reported_refined_china_share"])',
    ),
    "smuggling enforcement not multiplied by detection": (
        "flows.py",
        'p["china_smuggling_enforcement"] * w.detection',
        'p["china_smuggling_enforcement"]',
    ),
    "oil valued beyond need": (
        "flows.py",
        "useful = np.minimum(1.0, need / np.maximum(supply, 1.0))",
        "useful = 1.0 + 0.0 * supply",
    ),
    "Russia's kept share used for diversion into China": (
        "mechanism.py",
        "into_china = diversion_share * blocked[RUSSIA] * keep[CHINA]",
        "into_china = diversion_share * blocked[RUSSIA] * keep[RUSSIA]",
    ),
    "detection removed everywhere": (
        "mechanism.py",
        "detection = np.where(HISTORY[None, :], in_history, chosen)",
        "detection = 1.0 + 0.0 * chosen",
    ),
}


def plant(name: str, folder: Path) -> list[str]:
    """Copy the project, plant one bug, run the tests; return the failing test ids (snapshot excluded)."""
    module, old, new = BUGS[name]
    work = folder / re.sub(r"\W+", "_", name)
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns(".venv", ".git", "build", "exports", "__pycache__"))
    target = work / "model" / module
    text = target.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"{name}: the line to change is not in model/{module} any more; update plant_bugs.py")
    target.write_text(text.replace(old, new), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(work), "PYTHONDONTWRITEBYTECODE": "1"}
    check = subprocess.run(
        [sys.executable, "-c", "import model, sys; sys.stdout.write(model.__file__)"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert check.stdout.startswith(str(work)), f"the copy's model was not imported: {check.stdout}"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "not snapshot", *TESTS],
        cwd=work, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return sorted({line.split(" ")[1] for line in result.stdout.splitlines() if line.startswith("FAILED ")})


def main() -> int:
    caught = {}
    with tempfile.TemporaryDirectory(prefix="plant-bugs-") as temporary:
        for name in BUGS:
            failing = plant(name, Path(temporary))
            caught[name] = len(failing)
            print(f"{name}: {len(failing)} failing tests")
            for test in failing:
                print(f"    {test}")
    print(json.dumps(caught))
    return 0 if all(caught.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
