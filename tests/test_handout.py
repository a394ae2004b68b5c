"""Handouts, role cards, slides and the static folder: read back from the PDFs they write.

Text is read with pypdf and compared without whitespace (a wrapped title or address is split over lines).
"""

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import matplotlib as mpl
import pypdf
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import dprk_cli as cli
from dprk_roleplay import events, facilitator, teams
from dprk_teaching.cards import card_titles, write_cards
from dprk_teaching.guide import questions
from dprk_teaching.handout import (
    NO_CHANGES,
    NOTES_MIN_IN,
    PAPER_SIZES,
    HandoutContent,
    HandoutError,
    KeyNumber,
    Setting,
    content_for_scenario,
    handout_page,
    write_pdf,
)
from dprk_teaching.pages import pdf_bytes
from dprk_teaching.slides import slide_titles, write_slides
from dprk_teaching.static import INDEX, planned_files, write_static
from model import registry
from model.outcomes import HEADLINE_TABLE, HEADLINES
from model.scenarios import BASELINE, load_preset, preset_names
from model.timeline import FOCUS_YEAR

POINTS_PER_INCH = 72
#: The paper the apps write (``handout_page``'s default); the fast tier checks the handouts on it, the full run
#: on every paper (``slow``).
DEFAULT_PAPER = "a4"
PAPERS = [
    paper if paper == DEFAULT_PAPER else pytest.param(paper, marks=pytest.mark.slow) for paper in sorted(PAPER_SIZES)
]
#: The presets whose handouts the fast tier writes: the one that changes the most values (the longest list of
#: settings, the likeliest to overflow its page) and the baseline (none); the full run writes every preset's.
_CHANGES = {name: len(load_preset(name).overrides) for name in preset_names()}
FAST_PRESETS = {max(_CHANGES, key=_CHANGES.get), BASELINE}
PRESETS = [name if name in FAST_PRESETS else pytest.param(name, marks=pytest.mark.slow) for name in preset_names()]


def flat(text: str) -> str:
    """Text without any whitespace, for comparisons across line breaks."""
    return re.sub(r"\s+", "", text)


def pdf_pages(data: bytes) -> list:
    return pypdf.PdfReader(io.BytesIO(data)).pages


def page_size_in(page) -> tuple[float, float]:
    box = page.mediabox
    return float(box.width) / POINTS_PER_INCH, float(box.height) / POINTS_PER_INCH


def texts_outside(figure) -> list[str]:
    """The page's texts, and the axes (with their tick labels, titles and legends), that leave the page box."""
    with mpl.rc_context({"text.hinting": "none"}):
        renderer = FigureCanvasAgg(figure).get_renderer()
        figure.draw(renderer)
        page = figure.bbox
        boxes = [(text.get_text(), text.get_window_extent(renderer)) for text in figure.texts]
        boxes += [(f"axes {ax.get_title()!r}", ax.get_tightbbox(renderer)) for ax in figure.findobj(mpl.axes.Axes)]
    assert len(boxes) > 10  # the check looked at the page's text
    return [name for name, box in boxes if box.x0 < page.x0 or box.y0 < page.y0 or box.x1 > page.x1 or box.y1 > page.y1]


class _Contents(dict):
    """Each preset's handout content, made when a test first asks for it (the fast tier needs only a few)."""

    def __missing__(self, name: str) -> HandoutContent:
        self[name] = content_for_scenario(load_preset(name))
        return self[name]


@pytest.fixture(scope="module")
def contents():
    return _Contents()


# ---------------------------------------------------------------------------------------------- handouts
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_handout_is_one_page_of_the_paper_with_title_and_sources(contents, name, paper):
    content = contents[name]
    page = handout_page(content, paper)
    assert texts_outside(page) == []
    pages = pdf_pages(pdf_bytes([page], content.title))
    assert len(pages) == 1
    assert page_size_in(pages[0]) == pytest.approx(PAPER_SIZES[paper], abs=0.01)
    text = flat(pages[0].extract_text())
    assert flat(load_preset(name).title) in text
    cited = [registry.sources()[key] for key in content.sources]
    assert cited, "every preset names its provenance"
    for source in cited:
        assert flat(source.title) in text or flat(source.url) in text, source.key


@pytest.mark.parametrize("name", PRESETS)
def test_sources_are_the_provenance_and_every_changed_levers_sources(contents, name):
    content = contents[name]
    scenario = load_preset(name)
    assert set(scenario.provenance.get("sources", [])) <= set(content.sources)
    changed = {row.title for row in content.settings}
    for parameter in registry.registry().values():
        if parameter.title in changed:
            assert {s.key for s in parameter.sources} <= set(content.sources), (name, parameter.name)


@pytest.mark.parametrize("name", PRESETS)
def test_settings_list_exactly_the_values_that_differ_from_the_baseline(contents, name):
    baseline = load_preset(BASELINE).params
    params = load_preset(name).params
    differing = [p.title for p in registry.registry().values() if params.scalar(p.name) != baseline.scalar(p.name)]
    assert [row.title for row in contents[name].settings] == differing, name


def test_a_handout_without_changes_says_every_lever_is_at_its_baseline(contents):
    page = handout_page(contents[BASELINE])
    text = " ".join(t.get_text() for t in page.texts)
    assert NO_CHANGES in text
    assert contents[BASELINE].settings == ()


@pytest.mark.parametrize("name", PRESETS)
def test_key_numbers_are_the_headline_table_in_the_focus_year_clipped_to_the_view(contents, name):
    labels = [HEADLINES[key].label for key in HEADLINE_TABLE.values()]
    content = contents[name]
    assert [k.label for k in content.key_numbers] == labels
    scenario = load_preset(name)
    year = max(scenario.first_year, min(FOCUS_YEAR, scenario.last_year))
    assert str(year) in content.key_numbers_heading


def test_write_pdf_is_atomic_and_refuses_what_it_must(tmp_path, contents):
    content = contents[BASELINE]
    target = tmp_path / "ceasefire.pdf"
    assert write_pdf(content, target, paper="letter") == target
    before = target.read_bytes()
    with pytest.raises(HandoutError, match="already exists"):
        write_pdf(content, target)
    assert target.read_bytes() == before
    with pytest.raises(HandoutError, match="does not exist"):
        write_pdf(content, tmp_path / "missing" / "x.pdf")
    with pytest.raises(HandoutError, match="paper = 'a5'"):
        write_pdf(content, tmp_path / "a5.pdf", paper="a5")
    with pytest.raises(HandoutError, match=r"\.pdf"):
        write_pdf(content, tmp_path / "handout.png")
    write_pdf(content, target, paper="a4", overwrite=True)
    assert page_size_in(pdf_pages(target.read_bytes())[0]) == pytest.approx(PAPER_SIZES["a4"], abs=0.01)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ceasefire.pdf"]  # no temporary file left


def test_content_from_other_sources_takes_plain_rows_and_no_figure(tmp_path):
    content = HandoutContent(
        title="A finished game",
        description="Four rounds, five teams.",
        settings=[("China enforces", "100%", "round 2")],
        key_numbers=[("China's score", "+4.2")],
        sources=["kbs_2025_msmt"],
        draw_figure=None,
    )
    assert content.settings == (Setting("China enforces", "100%", "round 2"),)
    assert content.key_numbers == (KeyNumber("China's score", "+4.2"),)
    pages = pdf_pages(write_pdf(content, tmp_path / "game.pdf").read_bytes())
    assert len(pages) == 1
    text = flat(pages[0].extract_text())
    assert flat("A finished game") in text and flat(registry.sources()["kbs_2025_msmt"].title) in text


def test_bad_content_is_refused_with_its_reason(tmp_path):
    common = {"description": "", "settings": (), "key_numbers": (), "draw_figure": None}
    with pytest.raises(HandoutError, match="'no_such_source'"):
        HandoutContent(title="x", sources=["no_such_source"], **common)
    with pytest.raises(HandoutError, match="title"):
        HandoutContent(title=" ", sources=[], **common)
    too_long = HandoutContent(title="Too long", sources=[], **{**common, "description": "word " * 6000})
    with pytest.raises(HandoutError, match="does not fit on one page"):
        write_pdf(too_long, tmp_path / "long.pdf")
    assert list(tmp_path.iterdir()) == []


def test_the_lab_button_saves_a_handout_of_the_current_values(tmp_path):
    from dprk_apps.lab import LabApp

    app = LabApp(["russia_arms_enforcement"])
    app.exports.folder = tmp_path
    app.panel.controls["russia_arms_enforcement"].input.value = 1.0
    (button,) = [b for b in app.exports.widget.children[0].children if b.description == "Handout (PDF)"]
    button.click()
    assert app.errors.message == ""
    (path,) = app.exports.last_paths
    text = flat(pdf_pages(path.read_bytes())[0].extract_text())
    assert flat(registry.get("russia_arms_enforcement").title) in text
    assert flat(load_preset(BASELINE).title) in text


# ---------------------------------------------------------------------------------------------- cards and slides
@pytest.mark.slow  # a page per team and per event card, each read back: the slowest document to write
def test_cards_have_one_page_per_card_with_every_team_and_lever(tmp_path):
    pages = pdf_pages(write_cards(tmp_path / "cards.pdf", paper="letter").read_bytes())
    titles = card_titles()
    whole = len(teams()) + 1  # a page per team and the facilitator's; the event cards four to a page
    assert len(titles) == whole + len(events())
    assert len(pages) == whole + -(-len(events()) // 4)
    texts = [flat(page.extract_text()) for page in pages]
    for page, title in zip(texts[:whole], titles[:whole], strict=True):
        assert flat(title) in page
    for number, title in enumerate(titles[whole:]):
        assert flat(title) in texts[whole + number // 4]
    for number, team in enumerate(teams().values()):
        for lever in team.levers:
            assert flat(registry.get(lever).title) in texts[number], (team.key, lever)
        for term in team.terms:
            assert flat(term.scale_reasoning) in texts[number]
    host = texts[len(teams())]
    for lever in facilitator().levers:
        assert flat(registry.get(lever).title) in host
    assert all(page_size_in(p) == pytest.approx(PAPER_SIZES["letter"], abs=0.01) for p in pages)


def test_slides_are_16_to_9_with_every_question_and_no_facilitator_notes(tmp_path):
    pages = pdf_pages(write_slides(tmp_path / "slides.pdf").read_bytes())
    assert len(pages) == len(slide_titles())
    for page in pages:
        width, height = page_size_in(page)
        assert width / height == pytest.approx(16 / 9, rel=0.002)
    text = flat("".join(page.extract_text() for page in pages))
    for question in questions():
        assert flat(question["text"]) in text
        for point in question["points"]:
            assert flat(point) not in text


# ---------------------------------------------------------------------------------------------- static folder
class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets = set()

    def handle_starttag(self, tag, attrs):
        self.targets |= {value for key, value in attrs if key in ("href", "src")}


@pytest.mark.slow  # every preset's handout and figures, the cards and the slides: the fast tier checks them one by one
def test_static_folder_holds_everything_its_index_links(tmp_path):
    folder = tmp_path / "static"
    written = write_static(folder)
    assert [p.name for p in written] == planned_files()
    parser = _Links()
    parser.feed((folder / INDEX).read_text(encoding="utf-8"))
    assert parser.targets and all((folder / target).is_file() for target in parser.targets)
    assert {p.name for p in folder.iterdir()} == parser.targets | {INDEX}
    for name in preset_names():
        assert f"{name}-handout.pdf" in parser.targets
    with pytest.raises(HandoutError, match="not empty"):
        write_static(folder)


# ---------------------------------------------------------------------------------------------- command line
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["handout", "no-such-preset", "--pdf", "{dir}/x.pdf"], "neither a preset"),
        (["handout", "baseline", "--pdf", "{dir}/missing/x.pdf"], "does not exist"),
        (["handout", "baseline", "--pdf", "{dir}/existing.pdf"], "already exists"),
        (["handout", "baseline", "--pdf", "{dir}/x.pdf", "--paper", "a5"], "invalid choice: 'a5'"),
        (["handout", "baseline", "--pdf", "{dir}/x.txt"], ".pdf"),
        (["cards", "--pdf", "{dir}/existing.pdf"], "already exists"),
        (["sheets", "--pdf", "{dir}/existing.pdf"], "already exists"),
        (["sheets", "--pdf", "{dir}/x.pdf", "--rounds", "9"], "rounds = 9"),
        (["sheets", "--pdf", "{dir}/x.pdf", "--rounds", "6", "--years-per-round", "2"], "after the model's last year"),
        (["slides", "--pdf", "{dir}/missing/s.pdf"], "does not exist"),
        (["static", "{dir}"], "not empty"),
        (["static", "{dir}/missing/out"], "does not exist"),
    ],
)
def test_cli_bad_inputs_exit_2_with_one_message_and_write_nothing(tmp_path, capsys, argv, message):
    (tmp_path / "existing.pdf").write_bytes(b"%PDF- keep me")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    try:
        status = cli.main([a.replace("{dir}", str(tmp_path)) for a in argv])
    except SystemExit as exit_:  # argparse's own refusals (a paper it does not know)
        status = exit_.code
    assert status == 2
    error = capsys.readouterr().err.strip()
    assert message in error and len(error.splitlines()) == 1
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_cli_writes_a_handout(tmp_path, capsys):
    target = tmp_path / "handout.pdf"
    assert cli.main(["handout", "monitoring-restored", "--pdf", str(target), "--paper", "letter"]) == 0
    pages = pdf_pages(Path(target).read_bytes())
    assert len(pages) == 1 and flat(load_preset("monitoring-restored").title) in flat(pages[0].extract_text())
    assert str(target) in capsys.readouterr().err


def test_cli_writes_the_handout_of_a_saved_scenario_file(tmp_path, capsys):
    from model.params import Params
    from model.scenarios import from_params, save_scenario

    params = Params.from_overrides({"china_smuggling_enforcement": 0.9})
    saved = save_scenario(
        from_params(params, "mine", "My own scenario", "China polices smuggling."), tmp_path / "s.toml"
    )
    target = tmp_path / "mine.pdf"
    assert cli.main(["handout", str(saved), "--pdf", str(target)]) == 0
    text = flat(pdf_pages(target.read_bytes())[0].extract_text())
    assert flat("My own scenario") in text and flat(registry.get("china_smuggling_enforcement").title) in text


@pytest.mark.parametrize("paper", PAPERS)
def test_a_finished_games_handout_is_one_page_with_title_and_sources(paper):
    from dprk_roleplay import game as rules
    from dprk_teaching.roleplay_handout import content_for_game

    game = rules.new_game(list(teams()), 4, 2, "Seminar group B")
    choices = {"china": {"china_export_ban_enforcement": 1.0}, "russia": {"russia_arms_enforcement": 0.5}}
    for round_events in [("ceasefire",), (), ("crypto_heist",), ()]:
        game = rules.play(game, choices, round_events)
    content = content_for_game(game)
    page = handout_page(content, paper)
    assert texts_outside(page) == []
    pages = pdf_pages(pdf_bytes([page], content.title))
    assert len(pages) == 1
    assert page_size_in(pages[0]) == pytest.approx(PAPER_SIZES[paper], abs=0.01)
    text = flat(pages[0].extract_text())
    assert flat("Seminar group B") in text
    assert content.sources
    for key in content.sources:
        source = registry.sources()[key]
        assert flat(source.title) in text or flat(source.url) in text, key


# ---------------------------------------------------------------------------------------------- a task for the student
def _handout_text(content) -> str:
    return flat(pdf_pages(pdf_bytes([handout_page(content)], "t"))[0].extract_text())


@pytest.mark.parametrize("name", [BASELINE, "max-pressure"])
def test_a_handout_sets_a_question_leaves_room_for_notes_and_defines_every_measure(contents, name):
    from dprk_teaching.texts import definition, seminar
    from model.outcomes import OUTCOMES

    content = contents[name]
    text = _handout_text(content)
    assert content.question == seminar()["handout"]["questions"][name]
    assert flat(content.question) in text and flat("Your task") in text
    assert flat(seminar()["handout"]["notes_heading"]) in text
    page = handout_page(content)
    notes = [f for f in page.subfigs if any(t.get_text() == "Your notes" for t in f.texts)]
    assert len(notes) == 1 and notes[0].bbox.height >= NOTES_MIN_IN * page.dpi  # room to write in
    for key in HEADLINE_TABLE.values():
        outcome = HEADLINES[key].outcome
        assert flat(OUTCOMES[outcome].title) in text and flat(definition(outcome).rstrip(".")) in text, outcome
        assert len(definition(outcome)) <= 120  # one line


def test_the_baseline_handout_tells_the_baseline_story_not_zeros(contents):
    from model.timeline import LAST_HISTORY_YEAR

    content = contents[BASELINE]
    changes = [k.change for k in content.key_numbers]
    assert not all(re.fullmatch(r"[+−-]?\$?0(\.0+)?( m| bn| pp|×| bbl)?", c) for c in changes), changes
    assert str(LAST_HISTORY_YEAR) in content.key_numbers_heading
    assert content.key_numbers_columns[1] == str(LAST_HISTORY_YEAR)
    assert flat(f"Change since {LAST_HISTORY_YEAR}") in _handout_text(content)


def _overlaps_a_line(ax, text, renderer) -> list[str]:
    """Labels of the lines whose drawn path (with its width) passes through the text's bounding box."""
    box = text.get_window_extent(renderer)
    hits = []
    for line in ax.get_lines():
        path = line.get_transform().transform_path(line.get_path())
        pad = line.get_linewidth() * ax.figure.dpi / 72 / 2
        grown = box.expanded(1, 1).padded(pad)
        if path.intersects_bbox(grown, filled=False) or any(grown.contains(x, y) for x, y in path.vertices):
            hits.append(line.get_label())
    return hits


def test_the_projection_label_lies_over_no_data_line(contents):
    """The label of the projection's shading overlaps no line and no other title (handouts, slides, the lab)."""
    from dprk_figures import style
    from dprk_teaching.slides import slide_pages

    figures = [handout_page(contents[BASELINE]), handout_page(contents["russia-defects"]), slide_pages()[2]]
    checked = 0
    for figure in figures:
        with mpl.rc_context({"text.hinting": "none"}):
            renderer = FigureCanvasAgg(figure).get_renderer()
            figure.draw(renderer)
            axes = [ax for sub in [figure, *figure.subfigs] for ax in sub.axes]
            for ax in axes:
                labels = [ax.title, ax._left_title, ax._right_title, *ax.texts]
                marks = [t for t in labels if t.get_text() == style.PROJECTION_LABEL]
                for mark in marks:
                    checked += 1
                    assert _overlaps_a_line(ax, mark, renderer) == []
                    for other in labels:
                        if other is not mark and other.get_text():
                            assert not mark.get_window_extent(renderer).overlaps(other.get_window_extent(renderer))
    assert checked >= 5  # two panels on each handout, the hook's chart


def test_the_overlap_check_finds_a_label_drawn_over_a_line():
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 3), dpi=72)
    ax = figure.add_subplot()
    ax.plot([0, 10], [0.98, 0.98], lw=2, label="China, recorded trade")
    ax.set_ylim(0, 1.02)
    over = ax.text(5, 0.99, "projection →", va="top")
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    assert _overlaps_a_line(ax, over, renderer) == ["China, recorded trade"]
