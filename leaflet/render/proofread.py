"""The preflight's checks of what a reader sees on the page (``preflight.Expected`` says what to expect).

- Typed values read as typed: the pharmacy's name, address and phone from its profile, the
  patient's name and, of the free directions, every part that reads left to right (a phone
  number, a URL, an e-mail address, a dose with its unit, a time, a Latin word). Each must
  be found on a page read as a person reads it, left to right along each line: its digits
  as typed (a Bengali "+৪৪" reads as "+88"), its groups in order (not "0958 7946 20(0) 44+"),
  and an address on the lines it was typed on, not run together. A line may wrap between
  words and after a "/" of a URL.
- No lone word left on a line of the bilingual table when the next line's first word would
  have fitted after it ("sleeping," alone in the English column: ``linebreak``).
- No English beside English: English has no bilingual edition.

Runs are read from the PDF (``printed``): the glyphs drawn, in the order they stand on the
line, not the text layer's logical order, which would hide a reversed phone number.
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from leaflet.languages import SOURCE_LANGUAGE
from leaflet.render.printed import Page, Printed, Run, page_text_runs

if TYPE_CHECKING:
    from leaflet.render.options import BuildOptions
    from leaflet.source.pharmacy import Pharmacy

Problem = tuple[int | None, str, str]  # page, what, what to do
#: A gap between two runs of a line wider than this share of the type size is a space.
SPACE_SHARE = 0.2
#: A word this long may be broken anywhere to fit the line (overflow-wrap): a name of 300 letters.
LONG_WORD = 30


@dataclass(frozen=True)
class Typed:
    """A value that must read as typed: ``lines`` on lines of their own, in order."""

    what: str  # "the pharmacy's phone"
    lines: tuple[str, ...]

    @property
    def shown(self) -> str:
        return " / ".join(self.lines)


def typed_values(options: BuildOptions, pharmacy: Pharmacy | None, lang: str) -> tuple[Typed, ...]:
    """What a leaflet built with ``options`` must show as typed (``Expected.typed``)."""
    found: list[Typed] = []
    if pharmacy is not None:
        found += [*_readable("the pharmacy's name", (pharmacy.name,)),
                  *_readable("the pharmacy's address", tuple(pharmacy.address.splitlines())),
                  *_readable("the pharmacy's phone", (pharmacy.phone,))]
    if options.patient:
        found += _readable("the patient's name", (options.patient,))
    if options.free_directions:
        found += [Typed("the free directions", (part,)) for part in left_to_right_parts(options.free_directions, lang)]
    return tuple(found)


def _readable(what: str, lines: tuple[str, ...]) -> list[Typed]:
    """A value as it must read left to right. Right-to-left letters are drawn right to left,
    joined and shaped, so the glyphs cannot be compared with the letters typed: of a value
    written in them ("سارة أحمد"), only the parts that read left to right are (a house number)."""
    if not any(unicodedata.bidirectional(c) in ("R", "AL") for line in lines for c in line):
        return [Typed(what, lines)]
    return [Typed(what, (part,)) for line in lines for part in left_to_right_parts(line, "ar")]


def left_to_right_parts(text: str, lang: str) -> list[str]:
    """The parts of typed text that read left to right as typed on the page: in a right-to-left
    leaflet each value ``html.typed_html`` isolates left to right (numbers, doses, times, phone
    numbers, addresses, Latin words); in a left-to-right one the text between right-to-left runs."""
    from leaflet.languages import language
    from leaflet.render.html import typed_html

    shaped = str(typed_html(text, language(lang)))
    if language(lang).direction == "rtl":
        parts = re.findall(r'<bdi dir="ltr"[^>]*>(.*?)</bdi>', shaped)
    else:
        parts = re.split(r'<bdi dir="rtl">.*?</bdi>', shaped)
    plain = (html_lib.unescape(re.sub(r"<[^>]*>", "", part)) for part in parts)
    pieces = (piece.strip() for part in plain for piece in _REORDERED.split(part))
    return [piece for piece in pieces if any(c.isalnum() for c in piece)]


#: Scripts whose glyphs stand in another order than their letters (Bengali's "ে" is drawn before
#: the consonant it follows): a run of them cannot be read back glyph by glyph, so it is left to
#: the page's OCR read-back, and the typed text around it is checked piece by piece.
_REORDERING_SCRIPTS = ("BENGALI", "DEVANAGARI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA",
                       "MALAYALAM", "SINHALA", "MYANMAR", "THAI", "LAO", "KHMER", "TIBETAN")
_REORDERED = re.compile("[" + "".join(
    re.escape(chr(c)) for c in range(0x0900, 0x1100)
    if unicodedata.name(chr(c), "").startswith(_REORDERING_SCRIPTS)) + "]+")


# -- lines as read ---------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    page: int
    text: str  # the runs left to right, a space where the gap between them is one

    @property
    def tight(self) -> str:
        return _tight(self.text)


def lines_read(page: Page) -> list[Line]:
    """The page's lines top to bottom, each read left to right (margins left out)."""
    return [Line(page.number, _joined(line)) for line in _by_line(page_text_runs(page))]


def _by_line(runs: list[Run]) -> list[list[Run]]:
    """The runs in lines as the preflight groups them, each line left to right."""
    from leaflet.render.preflight import _lines  # the preflight imports this module

    return [sorted(line, key=lambda r: r.x0) for line in _lines(runs)]


def _joined(runs: list[Run]) -> str:
    text, end = "", None
    for run in runs:
        if end is not None and run.x0 - end > SPACE_SHARE * run.size:
            text += " "
        text, end = text + run.text, run.x1
    return " ".join(text.split())


#: Format characters (bidi isolates and marks, joiners): invisible, never part of what is read.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _tight(text: str) -> str:
    return "".join(_INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).split())


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(c)) if unicodedata.category(c) == "Nd" else c for c in text)


def _pattern(lines: tuple[str, ...], line_breaks: bool = True) -> re.Pattern[str]:
    """The value with its spaces taken out; a line of the page may end between two of its
    words, after a "/" or a typed hyphen ("Late-" / "Night"), or anywhere inside a word longer
    than a line holds (overflow-wrap breaks it), or beside a Chinese, Japanese or Korean character
    (those break between characters); it must end between two of its lines."""
    def line(value: str) -> str:
        words = ["".join(re.escape(c) + ("\n?" if _may_break(c, word[i + 1:i + 2]) or len(word) > LONG_WORD else "")
                     for i, c in enumerate(word)) for word in value.split()]
        return "\n?".join(words)
    return re.compile(("\n" if line_breaks else "\n?").join(line(_tight_words(v)) for v in lines if v.strip()))


def _may_break(char: str, following: str) -> bool:
    """CSS may break a line after a typed "/" or hyphen, and before or after a wide (CJK, Hangul)
    character ("취침 전에 2" / "정을")."""
    return char in "/-" or any(unicodedata.east_asian_width(c) in ("W", "F") for c in char + following)


def _tight_words(text: str) -> str:
    return " ".join(_tight(word) for word in text.split())


# -- the checks ------------------------------------------------------------------------


def check_typed(printed: Printed, typed: tuple[Typed, ...], rtl: bool = False) -> Iterator[Problem]:
    """Each typed value read on some page as typed (see the module's docstring). ``rtl``: the
    leaflet's lines run right to left, so a value that wraps goes on at the right of the next line."""
    if not typed:
        return
    pages = [lines_read(page) for page in printed.pages]
    texts = ["\n".join(line.tight for line in lines) for lines in pages]
    # A value may go on from the foot of one page to the head of the next (long free directions).
    spread = texts + [f"{first}\n{second}" for first, second in zip(texts, texts[1:], strict=False)]
    for value in typed:
        if any(_pattern(value.lines).search(text) for text in spread):
            continue
        if rtl and len(value.lines) == 1 and any(_wrapped_right_to_left(value.lines[0], lines) for lines in pages):
            continue
        yield _not_as_typed(value, pages, texts)


def _wrapped_right_to_left(value: str, lines: list[Line]) -> bool:
    """In a right-to-left paragraph a value broken over two lines ends one line at its left
    and starts the next at its right: its first part opens the line read left to right, its
    second part closes the next. It may break between words and after a "/" or a hyphen."""
    words = value.split()
    tight = _tight("".join(words))
    splits, position = set(), 0
    for word in words:
        word = _tight(word)
        splits |= {position + i + 1 for i, c in enumerate(word[:-1]) if c in "/-"}
        position += len(word)
        splits.add(position)
    splits.discard(len(tight))
    return any(first.tight.startswith(tight[:k]) and second.tight.endswith(tight[k:])
               for first, second in zip(lines, lines[1:], strict=False) for k in splits)


def _not_as_typed(value: Typed, pages: list[list[Line]], texts: list[str]) -> Problem:
    """Where the value is printed otherwise, and how."""
    folded = [_ascii_digits(text) for text in texts]
    other_digits = _pattern(tuple(_ascii_digits(v) for v in value.lines))
    for index, text in enumerate(folded):
        if match := other_digits.search(text):
            printed = _printed_at(pages[index], texts[index], match.start(), match.end())
            return (index + 1, f'{value.what} "{value.shown}" is printed in other digits, "{printed}": '
                               "what is typed prints as typed (a reader may take ৪ for 8)",
                    "print the profile's and the pharmacist's values as typed, not in the locale's digits")
    if len(value.lines) > 1:
        run_together = _pattern(value.lines, line_breaks=False)
        for index, text in enumerate(texts):
            if match := run_together.search(text):
                printed = _printed_at(pages[index], text, match.start(), match.end())
                return (index + 1, f'{value.what} was typed on {len(value.lines)} lines ("{value.shown}") '
                                   f'and runs together on the page: "{printed}"',
                        "print each line of it on a line of its own (white-space: pre-line)")
    want = _tight("".join(value.lines))
    best = max(range(len(texts)), key=lambda i: _longest_common(want, folded[i].replace("\n", ""))[0])
    size, start = _longest_common(want, folded[best].replace("\n", ""))
    where = f', the nearest read is "{_printed_near(pages[best], start, len(want))}"' if size >= 3 else ""
    return (best + 1, f'{value.what} "{value.shown}" does not read as typed, left to right on the page{where}',
            "isolate it in its own direction (html.typed_html, html.isolate) so the text around it cannot reorder it")


def _longest_common(want: str, text: str) -> tuple[int, int]:
    """The size of the longest run of ``want`` found in ``text``, and where ``want`` would start there."""
    match = SequenceMatcher(None, want, text, autojunk=False).find_longest_match(0, len(want), 0, len(text))
    return match.size, max(0, match.b - match.a)


def _printed_at(lines: list[Line], text: str, start: int, end: int) -> str:
    """The page's lines that hold ``text[start:end]`` (``text`` is the lines joined by newlines)."""
    first, last = text.count("\n", 0, start), text.count("\n", 0, end)
    return _shorten(" / ".join(line.text for line in lines[first:last + 1]), 90)


def _printed_near(lines: list[Line], start: int, size: int) -> str:
    """The lines around a position of the page's text without its line breaks."""
    position, shown = 0, []
    for line in lines:
        length = len(line.tight)
        if position + length > start and position < start + size:
            shown.append(line.text)
        position += length
    return _shorten(" / ".join(shown), 90)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


#: A lone word is a stray break when the next line's first word would have fitted after it
#: with this much room to spare (points), on top of a space.
LONE_WORD_SLACK = 3.0


def check_lone_words(printed: Printed) -> Iterator[Problem]:
    """A line of a bilingual table's cell that holds one word while the next line's first word
    would have fitted beside it: no CSS rule breaks there (a fault of the layout engine)."""
    for page in printed.pages:
        cells: dict[int, list[Run]] = {}
        for run in page_text_runs(page):
            cell = run.element_of(frozenset({"TD"}))
            if cell is not None:
                cells.setdefault(cell, []).append(run)
        right_of = _column_right_edges(cells)
        for runs in cells.values():
            lines = _by_line(runs)
            right = right_of[round(min(r.x0 for r in runs))]
            for line, following in zip(lines, lines[1:], strict=False):
                word = _lone_word(line)
                if word and _would_fit(line, following, right):
                    after = " ".join(following[0].text.split()[:6])
                    yield (page.number, f'"{word}" stands alone on its line in a column of the bilingual table, '
                                        f'though "{after.split()[0]}" would fit after it ("{word}" / "{after}…")',
                           "a layout fault, not a rule of the stylesheet: see leaflet/render/linebreak.py")


def _column_right_edges(cells: dict[int, list[Run]]) -> dict[int, float]:
    """Each column (cells starting at one left edge) and the right edge of its widest line."""
    edges: dict[int, float] = {}
    for runs in cells.values():
        left = round(min(r.x0 for r in runs))
        edges[left] = max(edges.get(left, 0.0), max(r.x1 for r in runs))
    return edges


def _lone_word(line: list[Run]) -> str:
    """The line's one word, if it holds one word (more than a bullet) of a script that separates
    its words with spaces and breaks lines only there: Latin, Cyrillic, Greek. Burmese, Thai or
    Chinese break inside what spaces separate, and right-to-left words are drawn reversed."""
    words = " ".join(run.text for run in line).split()
    if len(words) != 1 or len(words[0]) < 2:
        return ""
    letters = [c for c in words[0] if c.isalpha()]
    spaced = all(unicodedata.name(c, "").startswith(("LATIN", "CYRILLIC", "GREEK")) for c in letters)
    return words[0] if letters and spaced else ""


def _would_fit(line: list[Run], following: list[Run], right: float) -> bool:
    first = following[0]
    words = first.text.split()
    if not words or len(first.text.strip()) == 0:
        return False
    width = (first.x1 - first.x0) * len(words[0]) / max(len(first.text), 1)
    space = 0.35 * first.size
    return line[-1].x1 + space + width + LONE_WORD_SLACK <= right


def check_bilingual(lang: str, bilingual: bool) -> Iterator[Problem]:
    """English printed beside its own English is no edition."""
    if bilingual and lang == SOURCE_LANGUAGE:
        yield (1, "English is printed beside English: a bilingual edition sets a language beside English, "
                  "and English has none", "build the bilingual edition of the other languages only")
