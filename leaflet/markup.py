"""The inline markup of leaflet text: ``**bold**`` and ``*emphasis*``, nothing else.

Takes a source or translated string and gives escaped HTML in which only the
two markup forms become tags. Everything else a translator types, including
``<img src=...>`` or ``&lt;``, stays literal text.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_DELIMITER = re.compile(r"\*\*|\*")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)")


def markup_tokens(text: str) -> list[str]:
    """The markup delimiters in order, the fingerprint that translations must keep."""
    return _DELIMITER.findall(text)


def is_balanced(text: str) -> bool:
    """Every ``**`` and ``*`` opens and closes a span."""
    plain = _EMPHASIS.sub(r"\1", _STRONG.sub(r"\1", text))
    return "*" not in plain


def strip_markup(text: str) -> str:
    """The words a reader sees, for checks that look at text only."""
    return _EMPHASIS.sub(r"\1", _STRONG.sub(r"\1", text))


def to_html(text: str) -> Markup:
    """Escape first, then turn the markup into tags: untrusted text stays text."""
    html = _STRONG.sub(r"<strong>\1</strong>", str(escape(text)))
    return Markup(_EMPHASIS.sub(r"<em>\1</em>", html))
