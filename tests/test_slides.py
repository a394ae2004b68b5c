"""The seminar's slides: one deck written as PDF and as an editable PowerPoint file, and both agree.

The PowerPoint file must open with python-pptx and hold real text (titles in title placeholders, the body
in text boxes) with the charts as pictures; its slides and titles equal the PDF's pages; the title slide
has the lecturer's, course and date fields and no file path; the hook's question and its answer are on
different slides, and the answer's numbers are the model's.
"""

import re

import pytest
from pptx import Presentation
from pypdf import PdfReader

from dprk_cli import main as cli_main
from dprk_teaching import slides
from model.formatting import format_quantity
from model.timeline import LAST_HISTORY_YEAR


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deck")
    pdf, pptx = folder / "deck.pdf", folder / "deck.pptx"
    status = cli_main(
        ["slides", "--pdf", str(pdf), "--pptx", str(pptx), "--lecturer", "Dr A. Lee", "--course", "MA Security"]
    )
    assert status == 0
    return PdfReader(pdf), Presentation(str(pptx))


def slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_the_pptx_opens_and_matches_the_pdf_slide_for_slide(written):
    pdf, deck = written
    titles = slides.slide_titles()
    assert len(deck.slides) == len(pdf.pages) == len(titles)
    assert (deck.slide_width, deck.slide_height) == (12191695, 6858000)  # 13.333 x 7.5 in: 16:9
    for slide, page, title in zip(deck.slides, pdf.pages, titles, strict=True):
        assert slide.shapes.title.text == title  # the title placeholder: PowerPoint's outline shows it
        assert flat(title) in flat(page.extract_text())
        page_text = flat(page.extract_text().replace("•", ""))
        paragraphs = [p.text for shape in slide.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs]
        assert paragraphs
        for paragraph in paragraphs:  # the same text, paragraph by paragraph (the PDF also has the charts' text)
            assert flat(re.sub(r"^\[\d+\] ", "", paragraph)) in page_text, (title, paragraph)


def test_the_deck_has_every_part_the_seminar_needs(written):
    _pdf, deck = written
    titles = [slide.shapes.title.text for slide in deck.slides]
    for needed in (
        "The teams and their objectives",
        "A round, step by step",
        "The veto rule",
        "Results that surprise",
        "Exit ticket",
        "What the model cannot tell you",
        "Further reading",
    ):
        assert any(needed in title for title in titles) or any(needed in slide_text(slide) for slide in deck.slides), (
            needed
        )
    import dprk_roleplay as roleplay

    teams = slide_text(deck.slides[titles.index("The teams and their objectives")])
    assert all(team.title in teams for team in roleplay.teams().values())
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]
    assert len(pictures) == sum(1 for s in slides.deck() if s.draw is not None) >= 2
    notes = [slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide]
    assert any("Points a good answer makes" in note for note in notes)


def test_the_title_slide_has_the_three_fields_and_no_file_path(written):
    pdf, deck = written
    first = slide_text(deck.slides[0])
    assert "Lecturer: Dr A. Lee" in first and "Course: MA Security" in first
    assert re.search(r"Date: _+", first)  # not given: a line to fill in
    assert flat("Lecturer: Dr A. Lee") in flat(pdf.pages[0].extract_text())
    for text in (first, pdf.pages[0].extract_text()):
        assert ".toml" not in text and "/" not in text


def test_the_hook_question_and_its_answer_are_different_slides(written):
    _pdf, deck = written
    texts = [slide_text(slide) for slide in deck.slides]
    shown = slides.hook_numbers()
    question = next(i for i, text in enumerate(texts) if "Is China North Korea's lifeline?" in text)
    reveal = next(i for i, text in enumerate(texts) if all(value in text for value in shown.values()))
    assert reveal == question + 1
    assert not any(value in texts[question] for value in shown.values())


def test_the_reveal_numbers_are_the_models():
    from model.core import simulate
    from model.scenarios import BASELINE, load_preset

    headline = simulate(load_preset(BASELINE).params).headline(LAST_HISTORY_YEAR)
    for _label, key, unit in slides.HOOK_NUMBERS:
        assert slides.hook_numbers()[key] == format_quantity(headline[key], unit)


def _figures(token: str) -> int:
    digits = token.replace(",", "").replace(".", "").lstrip("0")
    if "." not in token:
        digits = digits.rstrip("0")  # 12,000 has two significant figures
    return len(digits)


def test_no_number_on_a_slide_has_more_than_three_significant_figures(written):
    _pdf, deck = written
    for slide in deck.slides:
        if slide.shapes.title.text.startswith(("Sources", "Further reading")):
            continue  # citations: document symbols and dates, not quantities
        text = slide_text(slide)
        for match in re.finditer(r"\d+(?:,\d{3})*(?:\.\d+)?", text):
            token = match.group()
            if re.fullmatch(r"(19|20)\d\d", token) or text[match.end() :].startswith(" Committee"):
                continue  # a year, or a name (the 1718 Committee)
            if text[: match.start()].rstrip().lower().endswith(("resolution", "res.")) and len(token) == 4:
                continue  # a resolution's number (2397): a name, not a quantity
            assert _figures(token) <= 3, (slide.shapes.title.text, token)


def test_slides_refuse_existing_files_and_name_the_path(tmp_path, capsys):
    existing = tmp_path / "deck.pptx"
    existing.write_bytes(b"keep")
    assert cli_main(["slides", "--pptx", str(existing)]) == 2
    error = capsys.readouterr().err.strip()
    assert str(existing) in error and "already exists" in error and len(error.splitlines()) == 1
    assert existing.read_bytes() == b"keep"
    assert cli_main(["slides", "--pptx", str(tmp_path / "deck.ppt")]) == 2
    assert ".pptx" in capsys.readouterr().err
    assert cli_main(["slides"]) == 2
    assert "--pptx" in capsys.readouterr().err
