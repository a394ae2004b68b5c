"""Printed play material: decision sheets, the round log, event cards four to a page, the facilitator's card.

Read back from the PDFs (pypdf); page counts, sizes and contents are compared with the role-play's data and the
seminar plan, never with typed numbers.
"""

import io
import re

import pypdf
import pytest
from matplotlib.lines import Line2D

import dprk_cli as cli
import dprk_roleplay as roleplay
from dprk_teaching.cards import card_pages, cards
from dprk_teaching.pages import PAPER_SIZES, PageError, pdf_bytes
from dprk_teaching.play_sheets import (
    EVENTS_PER_PAGE,
    event_pages,
    sheet_titles,
    start_value,
    unit_and_range,
    write_sheets,
)
from dprk_teaching.texts import default_plan, plans, print_lines, seminar
from model import registry
from model.timeline import FIRST_PROJECTION_YEAR

POINTS_PER_INCH = 72


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pages_of(data: bytes) -> list:
    return pypdf.PdfReader(io.BytesIO(data)).pages


def size_in(page) -> tuple[float, float]:
    return float(page.mediabox.width) / POINTS_PER_INCH, float(page.mediabox.height) / POINTS_PER_INCH


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    """The sheets as the CLI writes them with the default plan (A4): (pages, texts)."""
    target = tmp_path_factory.mktemp("sheets") / "sheets.pdf"
    assert cli.main(["sheets", "--pdf", str(target)]) == 0
    pages = pages_of(target.read_bytes())
    return pages, [flat(page.extract_text()) for page in pages]


def test_one_decision_sheet_per_team_then_one_round_log(sheets):
    pages, texts = sheets
    teams = roleplay.teams()
    assert len(pages) == len(teams) + 1 == len(sheet_titles())
    for text, title in zip(texts, sheet_titles(), strict=True):
        assert flat(title) in text
    portrait = PAPER_SIZES["a4"]
    assert all(size_in(page) == pytest.approx(portrait, abs=0.01) for page in pages[:-1])
    assert size_in(pages[-1]) == pytest.approx(portrait[::-1], abs=0.01)  # the log is landscape


def test_a_decision_sheet_has_a_row_per_lever_a_column_per_round_and_a_veto_box_where_it_applies(sheets):
    _, texts = sheets
    plan = default_plan()
    text = seminar()["sheets"]
    for text_of_page, team in zip(texts, roleplay.teams().values(), strict=False):
        assert flat(team.objective) in text_of_page
        for lever in team.levers:
            assert flat(registry.get(lever).title) in text_of_page, (team.key, lever)
            assert flat(unit_and_range(lever)) in text_of_page, (team.key, lever)
            assert flat(start_value(lever)) in text_of_page, (team.key, lever)
        for other in set(roleplay.game.lever_names()) - set(team.levers):
            assert flat(registry.get(other).title) not in text_of_page, (team.key, other)
        for number in range(1, plan.rounds + 1):
            first = FIRST_PROJECTION_YEAR + (number - 1) * plan.years_per_round
            assert flat(f"Round {number} {first}–{first + plan.years_per_round - 1}") in text_of_page
        assert f"Round{plan.rounds + 1}" not in text_of_page
        assert (flat(text["veto"]) in text_of_page) == team.veto, team.key
    assert sum(team.veto for team in roleplay.teams().values()) == len(roleplay.veto_teams()) >= 2


def test_the_round_log_has_a_row_per_round_and_a_column_per_team(sheets):
    _, texts = sheets
    log = texts[-1]
    text = seminar()["sheets"]
    plan = default_plan()
    for key in ("log_title", "log_events", "log_vetoes", "log_scores"):
        assert flat(text[key]) in log
    for team in roleplay.teams().values():
        assert log.count(flat(team.short) + ":") == plan.rounds  # one score line per round
    first, last = plan.years()
    assert f"1{first}–{first + plan.years_per_round - 1}" in log
    assert f"{plan.rounds}{last - plan.years_per_round + 1}–{last}" in log


def test_a_longer_game_prints_more_round_columns_and_rows(tmp_path):
    pages = pages_of(write_sheets(tmp_path / "long.pdf", paper="letter", rounds=5, years_per_round=2).read_bytes())
    texts = [flat(page.extract_text()) for page in pages]
    assert len(pages) == len(roleplay.teams()) + 1
    assert "Round52033–2034" in texts[0] and size_in(pages[0])[0] > size_in(pages[0])[1]  # landscape
    assert "52033–2034" in texts[-1]
    with pytest.raises(PageError, match="already exists"):
        write_sheets(tmp_path / "long.pdf")


def test_a_setup_the_engine_refuses_is_refused_before_writing(tmp_path):
    with pytest.raises(Exception, match="rounds = 9"):
        write_sheets(tmp_path / "x.pdf", rounds=9)
    assert not (tmp_path / "x.pdf").exists()


def test_event_cards_four_to_a_page_with_cut_marks():
    figures = event_pages("a4")
    events = list(roleplay.events().values())
    assert len(figures) == -(-len(events) // EVENTS_PER_PAGE) and len(figures) < len(events)
    texts = [flat(page.extract_text()) for page in pages_of(pdf_bytes(figures, "events"))]
    for number, event in enumerate(events):
        page = texts[number // EVENTS_PER_PAGE]
        assert flat(event.title) in page and flat(event.description) in page
    for figure in figures:
        lines = [artist for artist in figure.artists if isinstance(artist, Line2D)]
        # Two marks on the vertical cut, two on the horizontal one, and the cross at the centre.
        vertical = [line for line in lines if set(line.get_xdata()) == {0.5}]
        horizontal = [line for line in lines if set(line.get_ydata()) == {0.5}]
        assert len(vertical) == 3 and len(horizontal) == 3
        for line in lines:  # inside the paper, in the margin band or at the centre
            assert all(0 < value < 1 for value in (*line.get_xdata(), *line.get_ydata()))


@pytest.fixture(scope="module")
def card_texts():
    return [flat(page.extract_text()) for page in pages_of(pdf_bytes(card_pages("a4"), "cards"))]


def test_the_cards_pdf_has_a_page_per_team_the_facilitators_and_events_four_to_a_page(card_texts):
    whole = len(roleplay.teams()) + 1
    assert len(card_texts) == whole + -(-len(roleplay.events()) // EVENTS_PER_PAGE)
    assert len(cards()) == whole + len(roleplay.events())


def test_the_facilitators_card_is_filled(card_texts):
    host = card_texts[len(roleplay.teams())]
    assert flat(roleplay.facilitator().title) in host
    text = seminar()["facilitator_card"]
    for line in print_lines(len(roleplay.teams())):
        assert flat(line) in host
    for plan in plans().values():
        assert flat(plan.line()) in host
    for line in text["rescue"]:
        assert flat(line) in host
    for team in roleplay.teams().values():
        assert flat(team.objective) in host
    for event in roleplay.events().values():
        assert flat(event.title) in host
    for key in roleplay.veto_teams():
        assert flat(roleplay.teams()[key].title) in host
    assert flat(text["veto_heading"]) in host


def test_the_russia_card_says_russia_vetoed_the_panel_alone_with_china_abstaining(card_texts):
    russia = card_texts[list(roleplay.teams()).index("russia")]
    assert flat("On 28 March 2024 you alone vetoed the renewal of the UN Panel of Experts") in russia
    assert flat("China abstaining") in russia
    # The printed error of issue 29 ("With China you vetoed the renewal ...") is on no card: China abstained.
    assert not any(flat("With China you vetoed") in text for text in card_texts)
    china = card_texts[list(roleplay.teams()).index("china")]
    assert "vetoedtherenewal" not in china
