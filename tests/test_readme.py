"""The README is a short front door, and every relative link in it and in docs/*.md leads somewhere."""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCUMENTS = [README, *sorted((ROOT / "docs").glob("*.md"))]
MAX_README_LINES = 250
#: Top-level packages of the restructured code (docs/architecture.md). A link into one of them is accepted
#: while the package does not exist yet; once it does, the linked path must exist like any other.
NEW_PACKAGES = {"dprk_internals", "dprk_figures", "dprk_roleplay", "dprk_teaching", "dprk_apps", "dprk_cli"}
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def _without_code(text: str) -> str:
    """The Markdown text without fenced blocks and inline code spans (links there are not links)."""
    kept, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            kept.append(re.sub(r"`[^`]*`", "", line))
    return "\n".join(kept)


def _anchors(path: Path) -> set[str]:
    """The anchors GitHub makes for a document's headings (lower case, punctuation dropped, spaces to -)."""
    anchors, seen = set(), {}
    for line in _without_code(path.read_text(encoding="utf-8")).splitlines():
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading is None:
            continue
        slug = re.sub(r"[^\w\- ]", "", heading.group(1).replace("`", "").lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _relative_links(document: Path) -> list[str]:
    targets = LINK.findall(_without_code(document.read_text(encoding="utf-8")))
    return [t for t in targets if not EXTERNAL.match(t)]


def _broken(document: Path, target: str) -> str | None:
    """Why a relative link of ``document`` leads nowhere, or None if it resolves."""
    path_part, _, anchor = target.partition("#")
    path_part = unquote(path_part.split("?")[0])
    path = (document.parent / path_part).resolve() if path_part else document
    try:
        inside = path.relative_to(ROOT)
    except ValueError:
        return f"{target}: outside the repository"
    if not path.exists():
        first = inside.parts[0] if inside.parts else ""
        if first in NEW_PACKAGES and not (ROOT / first).exists():
            return None  # a package of the restructure that has not landed yet
        return f"{target}: no such file or folder"
    if anchor and path.suffix == ".md" and anchor not in _anchors(path):
        return f"{target}: no heading with the anchor #{anchor} in {inside}"
    return None


def test_the_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines; move detail into docs/"


def test_the_readme_gives_the_two_commands_and_says_ci_runs_the_test_one():
    text = README.read_text(encoding="utf-8")
    own_lines = re.findall(r"^(\./suite \w+)$", text, flags=re.M)
    assert own_lines[:2] == ["./suite lab", "./suite test"], own_lines
    assert "`./suite test --fast`" in text
    assert "CI runs exactly this command" in text and "(.ci/run)" in text


def test_the_readme_holds_no_dated_measurements():
    dates = re.findall(r"\b20\d\d-\d\d-\d\d\b", README.read_text(encoding="utf-8"))
    assert dates == [], "dated measurements belong in bench/results/ and docs/performance.md"


def test_the_readme_links_every_document_in_docs():
    linked = {(README.parent / target.partition("#")[0]).resolve() for target in _relative_links(README)}
    missing = [p.name for p in sorted((ROOT / "docs").glob("*.md")) if p.resolve() not in linked]
    assert missing == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(document):
    links = _relative_links(document)
    broken = [reason for target in links if (reason := _broken(document, target))]
    assert broken == [], broken


def test_the_link_check_catches_what_it_should(tmp_path):
    # The helpers, on links known to be good and bad: a missing file, a missing anchor, a link out of the
    # repository, a link into a package of the restructure, and links inside code, which are not links.
    assert _broken(README, "docs/model.md#command-line") is None
    assert _broken(README, "#serving-a-class") is None
    assert "no such file" in _broken(README, "docs/no-such-page.md")
    assert "no heading" in _broken(README, "docs/model.md#no-such-section")
    assert "outside" in _broken(README, "../elsewhere.md")
    assert _broken(README, "notebooks/") is None
    for package in NEW_PACKAGES:
        if not (ROOT / package).exists():
            assert _broken(README, f"{package}/roles.toml") is None
    page = tmp_path / "page.md"
    page.write_text(
        "[a](one.md) `[b](two.md)`\n\n```\n[c](three.md)\n```\n[d](https://example.org)\n", encoding="utf-8"
    )
    assert _relative_links(page) == ["one.md"]
