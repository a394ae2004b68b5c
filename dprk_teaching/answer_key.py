"""The seminar's answer key, ``seminar/answer_key.md``, generated from the model so that no number in it is typed.

It holds, for every exercise of every notebook, the question (read from the notebook itself), the worked
answer computed from the model with its reasoning (the same text the notebook's hidden solution shows,
from :mod:`dprk_teaching.solutions` and :mod:`dprk_teaching.exercises`), and for every preset its title, its
``[[expected]]`` statements beside the change the model computes against the baseline, and its headline
numbers in the focus year.

Regenerate with ``python -m dprk_teaching.answer_key``; ``tests/test_answer_key.py`` regenerates it and compares,
and checks that every exercise in the notebooks has an entry.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from model import registry
from model.core import simulate
from model.formatting import format_quantity
from model.outcomes import HEADLINE_SERIES, HEADLINE_TABLE, HEADLINES
from model.scenarios import BASELINE, load_preset, preset_names
from model.timeline import FOCUS_YEAR

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KEY = ROOT / "seminar" / "answer_key.md"

# The three ways the notebooks set exercises: a single "## Exercise", a numbered list under "## Exercises",
# and 06's "## Question N · title" sections.
_SINGLE = re.compile(r"^## Exercise\s*$", re.M)
_LIST = re.compile(r"^## Exercises\s*$", re.M)
_QUESTION = re.compile(r"^## Question (\d+) · (.+)$", re.M)
_ITEM = re.compile(r"^(\d+)\. (.*)$")


@dataclass(frozen=True)
class Exercise:
    """One exercise as a notebook sets it.

    Attributes
    ----------
    notebook : str
        The notebook's name without suffix (``06_exercises``).
    number : int
        Its number in the notebook (1 for a notebook's single exercise).
    title : str
        06's question titles; ``""`` elsewhere.
    question : str
        The question's Markdown, as the notebook writes it.
    """

    notebook: str
    number: int
    title: str
    question: str


def markdown_cells(source: str) -> list[str]:
    """The Markdown cells of a jupytext percent-format notebook (``NN_name.py``), without the ``# `` prefixes."""
    cells, current = [], None
    for line in source.splitlines():
        if line.startswith("# %%"):
            if current is not None:
                cells.append("\n".join(current).strip())
            current = [] if "[markdown]" in line else None
        elif current is not None:
            current.append(line[2:] if line.startswith("# ") else line.removeprefix("#"))
    if current is not None:
        cells.append("\n".join(current).strip())
    return cells


def notebook_exercises(path: Path) -> list[Exercise]:
    """Every exercise a notebook sets, in order (read from its jupytext ``.py``)."""
    name = path.stem
    found: list[Exercise] = []
    for cell in markdown_cells(path.read_text(encoding="utf-8")):
        question = _QUESTION.search(cell)
        if question:
            body = cell[question.end() :].strip()
            found.append(Exercise(name, int(question.group(1)), question.group(2).strip(), body))
        elif _LIST.search(cell):
            items: list[tuple[int, list[str]]] = []
            for line in cell[_LIST.search(cell).end() :].splitlines():
                item = _ITEM.match(line)
                if item:
                    items.append((int(item.group(1)), [item.group(2)]))
                elif items and line.startswith("   ") and line.strip():
                    items[-1][1].append(line.strip())
            found += [Exercise(name, number, "", " ".join(lines)) for number, lines in items]
        elif _SINGLE.search(cell):
            found.append(Exercise(name, 1, "", cell[_SINGLE.search(cell).end() :].strip()))
    return found


def all_exercises(folder: Path = NOTEBOOKS) -> list[Exercise]:
    """Every exercise of every notebook in the folder, in notebook order."""
    return [e for path in sorted(folder.glob("[0-9][0-9]_*.py")) for e in notebook_exercises(path)]


# ---------------------------------------------------------------------------------------------- answers
@cache
def _uncertainty_inputs():
    """Notebook 07's worlds and Sobol' indices, made by the notebook's own calls (same seed and size)."""
    from dprk_teaching import exercises as ex
    from model import uncertainty as u

    baseline = u.run_ensemble(
        BASELINE, ex.UNCERTAINTY_DRAWS, np.random.default_rng(ex.UNCERTAINTY_SEED), keep="headlines"
    )
    return baseline, ex.sensitivity_indices(ex.UNCERTAINTY_SEED)


def _one_paragraph_per_line(text: str) -> str:
    """Join the notebook's wrapped lines (a Markdown paragraph is the same either way; diffs read better)."""
    return re.sub(r"(?<=\S)\n(?=\S)", " ", text)


def answers() -> dict[tuple[str, int], Callable[[], str]]:
    """Each exercise's worked answer as HTML, by ``(notebook, number)``: the functions the notebooks show."""
    from dprk_teaching import exercises as ex
    from dprk_teaching import roleplay_text as roleplay
    from dprk_teaching import solutions as s

    def uncertainty(number: int) -> Callable[[], str]:
        def answer() -> str:
            baseline, indices = _uncertainty_inputs()
            return ex.uncertainty_html(number, baseline, indices)

        return answer

    table: dict[tuple[str, int], Callable[[], str]] = {("00_start_here", 1): s.start_here_html}
    for notebook, function, count in (
        ("01_lifelines", s.lifelines_html, 3),
        ("02_oil", s.oil_html, 3),
        ("03_labour", s.labour_html, 3),
        ("04_arms", s.arms_html, 3),
        ("05_scenario_lab", s.lab_html, 4),
    ):
        table |= {(notebook, n): (lambda f=function, n=n: f(n)) for n in range(1, count + 1)}
    sixes = (ex.china_makes_up_html, ex.single_lever_html, ex.who_is_the_lifeline_html, ex.year_of_war_html)
    table |= {("06_exercises", n): f for n, f in enumerate((*sixes, ex.monitoring_html), start=1)}
    table |= {("07_uncertainty", n): uncertainty(n) for n in range(1, 5)}
    table |= {("08_roleplay", n): (lambda n=n: roleplay.exercise_html(n)) for n in range(1, 4)}
    return table


def html_to_markdown(text: str) -> str:
    """The few tags the solutions use, as Markdown; dollar amounts as ``USD`` (``$`` starts formulas on GitHub)."""

    def table(match: re.Match) -> str:
        rows = re.findall(r"<tr>(.*?)</tr>", match.group(1), flags=re.S)
        cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S) for row in rows]
        return "\n\n" + "\n".join(f"- {c[0]}: " + " · ".join(c[1:]) for c in cells) + "\n\n"

    text = re.sub(r"<table[^>]*>(.*?)</table>", table, text, flags=re.S)
    text = re.sub(r"<pre[^>]*>(.*?)</pre>", lambda m: "\n\n```\n" + m.group(1).strip() + "\n```\n\n", text, flags=re.S)
    text = re.sub(r"<ul>(.*?)</ul>", lambda m: "\n\n" + m.group(1) + "\n\n", text, flags=re.S)
    text = re.sub(r"<li>(.*?)</li>", lambda m: "- " + m.group(1).strip() + "\n", text, flags=re.S)
    text = re.sub(r"</?b>", "**", text)
    text = re.sub(r"</?i>", "*", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    text = re.sub(r"([+−-]?)\$(?=[-−]?\d)", r"\1USD ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# ---------------------------------------------------------------------------------------------- presets
def _value(key: str, value: float) -> str:
    return format_quantity(value, HEADLINES[HEADLINE_SERIES[key]].unit).replace("$", "USD ")


def _difference(key: str, value: float) -> str:
    text = format_quantity(value, HEADLINES[HEADLINE_SERIES[key]].unit, difference=True)
    return text.replace("+$", "+USD ").replace("−$", "−USD ").replace("$", "USD ")


def preset_markdown(name: str, baseline_by_year: dict[int, dict[str, float]]) -> str:
    """One preset's entry: title, description, overrides, expected statements against the model, headlines."""
    preset = load_preset(name)
    results = simulate(preset.params)
    lines = [f"### {preset.title} (`{name}`)", "", preset.description, ""]
    if preset.overrides:
        lines.append("Overrides: " + "; ".join(f"{registry.get(k).title} = {v}" for k, v in preset.overrides.items()))
        lines.append("")
    for claim in preset.expected:
        year, key = claim["year"], claim["outcome"]
        base = baseline_by_year.setdefault(year, simulate(load_preset(BASELINE).params).headline(year))[key]
        value = results.headline(year)[key]
        change = (value - base) / abs(base)
        held = change >= claim["at_least"] if claim["change"] == "higher" else -change >= claim["at_least"]
        label = HEADLINES[HEADLINE_SERIES[key]].label
        lines.append(
            f"- Expected: {label} in {year} at least {100 * claim['at_least']:.3g}% {claim['change']} than the "
            "baseline. "
            f"Model: {_value(key, value)} against {_value(key, base)}, {change:+.1%} "
            f"({'holds' if held else 'DOES NOT HOLD'})."
        )
    if preset.expected:
        lines.append("")
    if preset.expected:  # the projection presets: what they do to every headline
        base = baseline_by_year.setdefault(FOCUS_YEAR, simulate(load_preset(BASELINE).params).headline(FOCUS_YEAR))
        value = results.headline(FOCUS_YEAR)
        lines += [f"| {FOCUS_YEAR} | baseline | this preset | difference |", "|---|---|---|---|"]
        for key, headline in HEADLINE_TABLE.items():
            lines.append(
                f"| {HEADLINES[headline].label} | {_value(key, base[key])} | {_value(key, value[key])} | "
                f"{_difference(key, value[key] - base[key])} |"
            )
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- the document
def answer_key_markdown(folder: Path = NOTEBOOKS) -> str:
    """The whole answer key (Markdown).

    Raises
    ------
    KeyError
        If a notebook sets an exercise that has no worked answer (or an answer has no exercise).
    """
    exercises = all_exercises(folder)
    table = answers()
    asked = {(e.notebook, e.number) for e in exercises}
    if asked != set(table):
        missing, orphans = sorted(asked - set(table)), sorted(set(table) - asked)
        raise KeyError(f"exercises without an answer: {missing}; answers without an exercise: {orphans}")
    lines = [
        "# Answer key: every exercise and every preset",
        "",
        "For the facilitator. Generated by `python -m dprk_teaching.answer_key` from the model and the notebooks;",
        "`tests/test_answer_key.py` regenerates it and fails when it is stale, so every number here is the",
        "model's, not typed. Each answer is the worked solution the notebook hides under its question, with",
        "the parameters at their registry defaults unless the question says otherwise. Notebook 07's answers use",
        "its own worlds (the same seed and number of draws), so they match what the notebook shows.",
        "",
        "## Exercises",
        "",
    ]
    current = None
    for exercise in exercises:
        if exercise.notebook != current:
            current = exercise.notebook
            lines += [f"### {current}", ""]
        title = f" · {exercise.title}" if exercise.title else ""
        lines += [f"#### {current} · exercise {exercise.number}{title}", ""]
        lines += ["**Question.** " + _one_paragraph_per_line(exercise.question), ""]
        answer = html_to_markdown(table[current, exercise.number]())
        lines += ["**Answer, computed from the model, and reasoning.**", "", answer, ""]
    lines += [
        "## Presets",
        "",
        "Each preset's stated `[[expected]]` changes against the baseline beside the change the model computes",
        f"(`tests/test_presets.py` holds every preset to them), then its headline numbers in {FOCUS_YEAR}.",
        "",
    ]
    baseline_by_year: dict[int, dict[str, float]] = {}
    for name in preset_names():
        lines.append(preset_markdown(name, baseline_by_year))
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write ``seminar/answer_key.md`` (atomically: complete or not at all)."""
    from model.tidy import write_text

    KEY.parent.mkdir(exist_ok=True)
    write_text(KEY, answer_key_markdown())
    print(f"wrote {KEY.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
