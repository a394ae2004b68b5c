"""No number the suite shows has more than three significant figures (model/formatting.py's rule).

Scanned, in this process: what the apps show (every HTML and label widget of 00, 05 and 06's apps after
each preset, 01-04's, 07's sentences, the role-play's scoreboard and history after two rounds), every
text of the handouts (each preset's and the role-play's), the role cards and the slides (PDF pages as
drawn, and the PowerPoint deck's text frames).

**The rule's exemptions** (numbers that are labels, not measurements):

* years (whole numbers from 1900 to 2100) and year spans (``2025–26``);
* codes and symbols: web addresses, ISBNs, numbers joined by a hyphen to letters (``I-022625-PSA``), words with
  a slash (``S/2024/215``, ``S/RES/2397``), digits joined to letters, and a number after "resolution",
  "No.", "code", "seed", "§", "paragraph", "p."/"pp." (page numbers) or "#", or before "Committee" (the
  1718 Committee);
* whole numbers ending in zeros count only their leading figures (``12,300`` has three; ``10,000`` one).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

import pytest

#: A number as people write it: an optional sign, digits with thousands separators, an optional decimal part.
NUMBER = re.compile(r"(?<![\w./])(?<![A-Za-z]-)[−+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w/])(?!-[A-Za-z])")
#: Words after which a number is a label (a resolution, a paragraph, a page, a seed), not a measurement.
LABEL_BEFORE = re.compile(
    r"(resolution|resolutions|res\.|no\.|code|seed|§|paragraph|paras?\.|pp?\.|#|version|v)\s*$", re.I
)
#: Words after which a number is a name (the 1718 Committee, named after resolution 1718).
LABEL_AFTER = re.compile(r"^\s*Committee", re.I)
#: Web addresses, ISBNs and document symbols (a word with ``/``, ``=``, ``?`` or ``www.``, also a wrapped
#: address's continuation): codes, not measurements.
ADDRESS = re.compile(r"\S*(?:/|=|\?|www\.)\S*|ISBN[\s:]*[\dX-]+")
YEARS = range(1900, 2101)
DIGITS = 3


def significant_figures(number: str) -> int:
    """Significant figures of a written number (``701.16`` five, ``0.0457`` three, ``12,300`` three)."""
    digits = number.lstrip("−+-").replace(",", "")
    if "." in digits:
        whole, decimals = digits.split(".")
        figures = (whole.lstrip("0") + decimals) if whole.strip("0") else decimals.lstrip("0")
        return len(figures)
    return len(digits.strip("0")) if digits.strip("0") else 1


def too_precise(text: str) -> list[str]:
    """The numbers of ``text`` with more than three significant figures, with their context; years etc. exempt."""
    text = ADDRESS.sub(" ", text)
    found = []
    for match in NUMBER.finditer(text):
        number = match.group(0)
        plain = number.lstrip("−+-").replace(",", "")
        if "." not in plain and "," not in number and int(plain) in YEARS:
            continue
        before = text[max(0, match.start() - 14) : match.start()]
        if LABEL_BEFORE.search(before) or LABEL_AFTER.search(text[match.end() : match.end() + 12]):
            continue
        if significant_figures(number) > DIGITS:
            found.append(f"{number!r} in …{text[max(0, match.start() - 40) : match.end() + 20]!r}")
    return found


def visible_text(markup: str) -> str:
    """The text of an HTML fragment as a reader sees it (style blocks and tags removed)."""
    markup = re.sub(r"<style.*?</style>", " ", markup, flags=re.S)
    markup = re.sub(r"<script.*?</script>", " ", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def widget_texts(widget) -> Iterable[str]:
    """Every text an ipywidgets tree shows: HTML and label values, descriptions, options."""
    import ipywidgets as widgets

    seen, stack = set(), [widget]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, widgets.HTML | widgets.HTMLMath | widgets.Label):
            yield visible_text(item.value)
        for name in ("description", "tooltip"):
            value = getattr(item, name, None)
            if isinstance(value, str) and value:
                yield value
        stack.extend(getattr(item, "children", ()) or ())


def figure_texts(figure) -> Iterable[str]:
    """The visible text of a matplotlib figure (a handout, card or slide page as drawn), as one string.

    The lines are joined in the order they were placed, so a label word at the end of a wrapped line
    ("resolution") still stands before the number that starts the next one ("2397").
    """
    from matplotlib.text import Text

    figure.draw_without_rendering()
    yield " ".join(text.get_text() for text in figure.findobj(Text) if text.get_visible() and text.get_text().strip())


def assert_plain(texts: Iterable[str], where: str, at_least: int = 5) -> None:
    """No number of ``texts`` breaks the rule, and at least ``at_least`` numbers were there to check."""
    texts = list(texts)
    numbers = sum(len(NUMBER.findall(text)) for text in texts)
    assert numbers >= at_least, f"{where}: only {numbers} numbers found: is the text there?"
    found = [hit for text in texts for hit in too_precise(text)]
    assert not found, f"{where}: numbers with more than {DIGITS} significant figures:\n" + "\n".join(found[:20])


# ----------------------------------------------------------------------------------------- the rule itself
@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Russia $701.16 m, China −$2.17 m", ["701.16"]),
        ("+$885.09 m beside $4.33 bn", ["885.09"]),
        ("12,345 workers", ["12,345"]),
        ("45.67%", ["45.67"]),
        ("$4.33 bn, 12,300 workers, 0.0457, 10,000 draws, 5.84×", []),
        ("in 2030; 2025–26; resolution 2397; S/2024/215; seed 20251; p. 1234; the 1718 Committee", []),
        ("https://example.org/view.php?sc=30800025 and 1718.5 tonnes", ["1718.5"]),
        ("announcement I-022625-PSA; a range 0.25-0.7512", ["0.7512"]),
    ],
)
def test_the_scanner_finds_what_it_should(text, bad):
    assert [hit.split(" in ")[0].strip("'") for hit in too_precise(text)] == bad


# ----------------------------------------------------------------------------------------- what is shown
@pytest.fixture(scope="module")
def presets():
    from model.scenarios import preset_names

    return preset_names()


@pytest.mark.slow  # builds every app or draws every page (about 2 minutes in all)
def test_the_lab_apps_show_three_figures_at_most(presets):
    from dprk_apps.lab import DemoApp, LabApp

    for app in (LabApp(), DemoApp()):
        offered = [value for _label, value in app.presets.dropdown.options] if app.presets else []
        for name in presets:
            if name not in offered:
                continue
            app.presets.dropdown.value = name
            assert app.errors.message == "", app.errors.message
            assert_plain(widget_texts(app.widget), f"{type(app).__name__}, preset {name}")
        assert_plain(widget_texts(app.widget), type(app).__name__)


@pytest.mark.slow  # builds every app or draws every page (about 2 minutes in all)
def test_the_channel_apps_show_three_figures_at_most():
    from dprk_apps.channels import ArmsApp, LabourApp, OilApp
    from dprk_apps.lifelines import LifelinesApp

    for kind in (LifelinesApp, OilApp, LabourApp, ArmsApp):
        app = kind()
        assert_plain(widget_texts(app.widget), kind.__name__)


@pytest.mark.slow  # builds every app or draws every page (about 2 minutes in all)
def test_the_uncertainty_app_shows_three_figures_at_most():
    import numpy as np

    from dprk_apps import uncertainty as ua
    from dprk_teaching import exercises
    from model import uncertainty as u

    baseline = u.run_ensemble("baseline", 500, np.random.default_rng(exercises.UNCERTAINTY_SEED), keep="headlines")
    app = ua.UncertaintyApp(baseline)
    try:
        for key, _label in [(value, label) for label, value in app.outcome.options]:
            app.outcome.value = key
            assert_plain(widget_texts(app.widget), f"07, outcome {key}")
    finally:
        app.close()


@pytest.mark.slow  # builds every app or draws every page (about 2 minutes in all)
def test_the_roleplay_scoreboard_and_handout_show_three_figures_at_most(tmp_path):
    from dprk_apps.roleplay import RoleplayApp
    from dprk_teaching.handout import handout_page
    from dprk_teaching.roleplay_handout import content_for_game

    app = RoleplayApp(folder=tmp_path / "exports", state_folder=tmp_path / "state")
    first = app.panels["russia"]
    lever = first.names[0]
    control = first.controls[lever]
    first.set_values({lever: control.parameter.max})
    app.play_round()
    app.play_round()
    assert "No round played yet" not in app.scoreboard.value
    assert_plain(widget_texts(app.widget), "role-play after two rounds")
    assert_plain(figure_texts(handout_page(content_for_game(app.game))), "role-play handout")


@pytest.mark.slow  # builds every app or draws every page (about 2 minutes in all)
def test_the_handouts_show_three_figures_at_most(presets):
    from dprk_teaching.handout import content_for_scenario, handout_page
    from model.scenarios import load_preset

    for name in presets:
        page = handout_page(content_for_scenario(load_preset(name)))
        assert_plain(figure_texts(page), f"handout of {name}")


@pytest.mark.slow  # builds every app or draws every page (about 2 minutes in all)
def test_the_cards_and_slides_show_three_figures_at_most():
    import io

    from pptx import Presentation

    from dprk_teaching.cards import card_pages
    from dprk_teaching.slides import laid_out, pptx_bytes, slide_pages

    # Pages without numbers (a title slide, an event card) are checked too; the documents as a whole must
    # hold numbers to check.
    cards = [text for page in card_pages() for text in figure_texts(page)]
    assert_plain(cards, "cards", at_least=50)
    pages = [text for page in slide_pages() for text in figure_texts(page)]
    assert_plain(pages, "slides (PDF)", at_least=30)
    deck = Presentation(io.BytesIO(pptx_bytes(laid_out())))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert_plain(texts, "slides (PowerPoint)", at_least=30)
