"""Generated documents are current: docs/levers.md and the history table (python -m dprk_teaching.reference)."""

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


def test_readme_history_table_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.readme_with_history(readme) == readme, "regenerate with `python -m dprk_teaching.reference`"
    assert "| 2023 |" in readme and "98.3%" in readme
