"""Mend one line-breaking fault of WeasyPrint (70.0): a lone word before an inline element.

WeasyPrint lays out a paragraph's text box by box. A text box that ends before an inline
element (a medicine name's ``<span>``, a ``<bdi>``, ``<strong>``) ends with the space before
it; when the box's words fit on the line and only that trailing space does not, its
``split_first_line`` takes the box for too wide, finds no earlier break to keep, and puts
only the box's *first* word on the line. On Letter, the English column of the Korean and
Chinese bilingual leaflets printed "If you have problems" / "sleeping," / "talk to your
doctor to find out whether" / "diazepam is right for you.".

A space at the end of a line is not drawn and takes no room (CSS Text 3, "white-space
processing"), so such a box fits: ``split_first_line`` here gives it whole, as a line that
needs no break, and WeasyPrint then moves the inline element that follows to the next line
as it should. Every other case is WeasyPrint's own answer. The preflight
(``preflight.check_lone_words``) finds a lone word that any other cause leaves.
"""

from __future__ import annotations

from typing import Any

from weasyprint.layout import inline
from weasyprint.text import line_break

_original = line_break.split_first_line


def split_first_line(text: str, style: Any, context: Any, max_width: float | None, justification_spacing: float,
                     is_line_start: bool = True, minimum: bool = False) -> Any:
    found = _original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    words = text.rstrip(" ")
    length, resume_index = found[1], found[2]
    if (resume_index is None or max_width is None or words == text or not words
            or style["white_space"] not in ("normal", "pre-line") or length >= len(words.encode())):
        return found
    whole = _original(words, style, context, max_width, justification_spacing, is_line_start, minimum)
    if whole[2] is not None or whole[3] > max_width:
        return found  # the words do not fit either: WeasyPrint's break stands
    return _original(text, style, context, None, justification_spacing, is_line_start, minimum)


def install() -> None:
    """Used by every print (``pdf.render_pdf``); once is enough, and twice is harmless."""
    inline.split_first_line = split_first_line
