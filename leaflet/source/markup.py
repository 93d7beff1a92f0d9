"""The inline markup of leaflet text: ``**bold**`` and ``*emphasis*``, nothing else.

Takes a source or translated string and gives escaped HTML in which only the
two markup forms become tags. Everything else a translator types, including
``<img src=...>`` or ``&lt;``, stays literal text.

A span is what ``**(?=\\S)(.+?)(?<=\\S)**`` (bold) and
``(?<!\\*)\\*(?=[^\\s*])(.+?)(?<=[^\\s*])\\*(?!\\*)`` (emphasis) match, bold
first, but found in time linear in the text: with those patterns a line of
openers and no closer (``**x **x **x ...``) made every opener scan to the end
of the line, and one catalog entry could stall every build.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from markupsafe import Markup, escape

_DELIMITER = re.compile(r"\*\*|\*")


class _Form(NamedTuple):
    """Where a span of one markup form may open and close; each pattern is a fixed width."""

    opener: re.Pattern[str]
    closer: re.Pattern[str]
    width: int


_STRONG = _Form(re.compile(r"\*\*(?=\S)"), re.compile(r"(?<=\S)\*\*"), 2)
_EMPHASIS = _Form(re.compile(r"(?<!\*)\*(?=[^\s*])"), re.compile(r"(?<=[^\s*])\*(?!\*)"), 1)


def markup_tokens(text: str) -> list[str]:
    """The markup delimiters in order, the fingerprint that translations must keep."""
    return _DELIMITER.findall(text)


def is_balanced(text: str) -> bool:
    """Every ``**`` and ``*`` opens and closes a span."""
    return "*" not in strip_markup(text)


@functools.lru_cache(maxsize=64)
def strip_markup(text: str) -> str:
    """The words a reader sees, for checks that look at text only (several checks
    ask for the same entry's text, hence the small cache)."""
    if "*" not in text:
        return text
    return _replace(_replace(text, _STRONG, str), _EMPHASIS, str)


def to_html(text: str) -> Markup:
    """Escape first, then turn the markup into tags: untrusted text stays text."""
    html = _replace(str(escape(text)), _STRONG, lambda inner: f"<strong>{inner}</strong>")
    return Markup(_replace(html, _EMPHASIS, lambda inner: f"<em>{inner}</em>"))


def _replace(text: str, form: _Form, wrap: Callable[[str], str]) -> str:
    parts, done = [], 0
    for start, end in _spans(text, form):
        parts += [text[done:start], wrap(text[start + form.width : end - form.width])]
        done = end
    parts.append(text[done:])
    return "".join(parts)


def _spans(text: str, form: _Form) -> Iterator[tuple[int, int]]:
    """Each span's (start, end), leftmost first, as ``re.sub`` finds them. A span never
    crosses a line break and the set of closers does not depend on the opener, so when
    an opener finds no closer, no later opener on its line can: skip to the next line.
    Each stretch of text is scanned once."""
    position, line_end, opener, closer = 0, -1, form.opener.search, form.closer.search
    while opened := opener(text, position):
        start = opened.start()
        if start > line_end:
            line_end = _line_end(text, start)
        closed = closer(text, start + form.width + 1, line_end)
        if closed is None:
            position = line_end + 1
            continue
        yield start, closed.end()
        position = closed.end()


def _line_end(text: str, position: int) -> int:
    found = text.find("\n", position)
    return len(text) if found < 0 else found
