"""Generated documents are current: docs/levers.md and docs/validation.md's history table (dprk_teaching.reference)."""

from pathlib import Path

from dprk_teaching import reference as docs
from model import registry

ROOT = Path(__file__).resolve().parent.parent


def test_levers_document_is_current():
    assert (ROOT / "docs" / "levers.md").read_text(encoding="utf-8") == docs.levers_markdown() + "\n", (
        "regenerate with `python -m dprk_teaching.reference`"
    )


def test_levers_document_has_every_lever_in_both_years():
    text = docs.levers_markdown()
    for name in registry.names("lever"):
        assert text.count(f"(`{name}`)") == len(docs.LEVER_YEARS), name


def test_validation_history_table_is_current():
    text = (ROOT / docs.VALIDATION).read_text(encoding="utf-8")
    assert docs.with_history(text) == text, "regenerate with `python -m dprk_teaching.reference`"
    assert "| 2023 |" in text and "98.3%" in text
    assert text.count(docs.HISTORY_START) == 1 and text.count(docs.HISTORY_END) == 1


def test_the_history_table_is_written_into_docs_validation_only(tmp_path):
    (tmp_path / "docs").mkdir()
    stale = f"# Validation\n\nintro\n\n{docs.HISTORY_START}\nold table\n{docs.HISTORY_END}\n\nafter\n"
    (tmp_path / docs.VALIDATION).write_text(stale, encoding="utf-8")
    (tmp_path / "README.md").write_text("# Front door\n", encoding="utf-8")
    assert docs.main(tmp_path) == 0
    written = (tmp_path / docs.VALIDATION).read_text(encoding="utf-8")
    assert written == f"# Validation\n\nintro\n\n{docs.history_fit_markdown()}\n\nafter\n"
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# Front door\n"
    assert (tmp_path / "docs" / "levers.md").read_text(encoding="utf-8") == docs.levers_markdown() + "\n"
