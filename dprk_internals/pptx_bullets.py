"""python-pptx: a paragraph with a real bullet character and a hanging indent.

Internal names used
-------------------
``_Paragraph._p`` (the paragraph's ``a:p`` XML element), its ``get_or_add_pPr()``, and
``pptx.oxml.ns.qn`` to name the DrawingML elements ``a:buChar``, ``a:buNone`` and ``a:buAutoNum``.

Why the public API is not enough
--------------------------------
python-pptx has no public property for a paragraph's bullet; its maintainer points to editing the XML.
A text box made with the public API has no bullets, and a lecturer editing the deck expects list items
that behave as bullets (indent, new items), not a "•" typed into the text.

Upstream
--------
"Ability to toggle bullet point formatting on run or paragraph",
https://github.com/scanny/python-pptx/issues/100 (open); "feature: Paragraph.bullet",
https://github.com/scanny/python-pptx/issues/114 (open); a proposed implementation,
https://github.com/scanny/python-pptx/pull/1060.

Fallback
--------
When a name is missing (or with ``DPRK_PLAIN=1``) the paragraph's text starts with the mark and a space
instead: the same words, without PowerPoint's own bullet formatting.
"""

from __future__ import annotations

from typing import Any

import dprk_internals
from dprk_internals import touches_internals


@touches_internals
def _set_bullet(paragraph: Any, mark: str, indent_emu: int) -> bool:
    try:
        from pptx.oxml.ns import qn
    except ImportError:
        return False
    element = getattr(paragraph, "_p", None)
    if element is None or not hasattr(element, "get_or_add_pPr"):
        return False
    properties = element.get_or_add_pPr()
    properties.set("marL", str(indent_emu))
    properties.set("indent", str(-indent_emu))
    for tag in ("a:buNone", "a:buChar", "a:buAutoNum"):
        for old in properties.findall(qn(tag)):
            properties.remove(old)
    properties.append(properties.makeelement(qn("a:buChar"), {"char": mark}))
    return True


def bullet(paragraph: Any, mark: str, size_pt: float) -> None:
    """Give a python-pptx paragraph a bullet ``mark`` with a hanging indent of 1.2 × the text size.

    Parameters
    ----------
    paragraph : pptx.text.text._Paragraph
        A paragraph whose text is already set.
    mark : str
        The bullet character, e.g. ``"•"``.
    size_pt : float
        The paragraph's text size (points).
    """
    from pptx.util import Pt

    if dprk_internals.enabled() and _set_bullet(paragraph, mark, int(Pt(size_pt * 1.2))):
        return
    paragraph.text = f"{mark} {paragraph.text}"


__all__ = ["bullet"]
