"""The answer key (seminar/answer_key.md) is current and complete: regenerated from the model and compared.

Regenerate with ``python -m dprk_teaching.answer_key`` after changing the model, a preset or an exercise.
"""

import re

import pytest

from dprk_teaching import answer_key
from model.scenarios import load_preset, preset_names

# A notebook's solution cells: one call of a worked solution per cell, e.g. ``solutions.oil(2)``.
SOLUTION_CALL = re.compile(r"^(?:solutions|exercises|roleplay_text)\.[a-z_]+\(.*\)$", re.M)


@pytest.fixture(scope="module")
def key_text():
    return answer_key.KEY.read_text(encoding="utf-8")


def test_answer_key_is_current(key_text):
    assert key_text == answer_key.answer_key_markdown(), "regenerate with `python -m dprk_teaching.answer_key`"


def test_every_exercise_in_the_notebooks_has_an_entry(key_text):
    exercises = answer_key.all_exercises()
    assert {(e.notebook, e.number) for e in exercises} == set(answer_key.answers())
    for e in exercises:
        heading = f"#### {e.notebook} · exercise {e.number}"
        assert len(re.findall(rf"^{re.escape(heading)}( ·.*)?$", key_text, flags=re.M)) == 1, heading
        assert answer_key._one_paragraph_per_line(e.question) in key_text, heading


@pytest.mark.parametrize("path", sorted(answer_key.NOTEBOOKS.glob("[0-9][0-9]_*.py")), ids=lambda p: p.stem)
def test_the_parser_finds_as_many_exercises_as_the_notebook_has_solution_cells(path):
    # Two independent readings of a notebook: its questions (prose) and its solution calls (code).
    code = "\n".join(
        cell
        for cell in path.read_text(encoding="utf-8").split("# %%")
        if not cell.startswith(" [markdown]") and not cell.startswith(" [md]")
    )
    numbers = [e.number for e in answer_key.notebook_exercises(path)]
    assert numbers == list(range(1, len(numbers) + 1)), path.name
    assert len(numbers) == len(SOLUTION_CALL.findall(code)), path.name


def test_the_parser_reads_all_three_ways_of_setting_exercises():
    source = "\n".join(
        [
            "# %% [markdown]",
            "# ## Exercise",
            "#",
            "# Move the lever.",
            "",
            "# %% [markdown]",
            "# ## Exercises",
            "#",
            "# Read the table.",
            "#",
            "# 1. First question",
            "#    goes on here.",
            "# 2. Second.",
            "",
            "# %% [markdown]",
            "# ## Question 3 · A title",
            "#",
            "# Third question.",
            "",
            "# %%",
            "x = 1",
        ]
    )
    assert len(answer_key.markdown_cells(source)) == 3
    found = answer_key.notebook_exercises(_Source(source))
    assert [(e.number, e.title, e.question) for e in found] == [
        (1, "", "Move the lever."),
        (1, "", "First question goes on here."),
        (2, "", "Second."),
        (3, "A title", "Third question."),
    ]


class _Source:
    """A stand-in for a notebook path: a stem and its text."""

    stem = "99_test"

    def __init__(self, text):
        self.text = text

    def read_text(self, encoding):
        return self.text


def test_every_preset_has_its_title_and_every_expected_statement(key_text):
    for name in preset_names():
        preset = load_preset(name)
        assert f"### {preset.title} (`{name}`)" in key_text
        section = key_text.split(f"(`{name}`)", 1)[1].split("\n### ", 1)[0]
        assert section.count("- Expected:") == len(preset.expected), name
    assert "DOES NOT HOLD" not in key_text  # tests/test_presets.py holds the presets to their statements


def test_the_key_is_plain_markdown_without_dollar_signs_or_html(key_text):
    assert "$" not in key_text  # GitHub would typeset "$1 ... $2" as a formula
    assert not re.search(r"</?(table|tr|td|ul|li|b|i|pre|details)\b", key_text)


def test_html_to_markdown_writes_the_tags_the_solutions_use():
    text = answer_key.html_to_markdown(
        "A <b>bold</b> and <i>slanted</i> cut of $1.5 bn, then −$20 m and $-3 m:"
        "<table><tr><td>a</td><td>b</td><td>c</td></tr></table><ul><li>one</li><li>two</li></ul>"
        "<pre style='x'>rule &amp; box</pre>"
    )
    assert "**bold**" in text and "*slanted*" in text
    assert "USD 1.5 bn" in text and "−USD 20 m" in text and "USD -3 m" in text
    assert "- a: b · c" in text and "- one\n- two" in text and "```\nrule & box\n```" in text
