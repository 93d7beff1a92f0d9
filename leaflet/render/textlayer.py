"""What WeasyPrint's text layer lacks: PDF glyphs that read back as the words printed.

WeasyPrint 70 (pinned in requirements.lock) draws a run's glyphs in visual order and maps
each glyph, once per font, to the text of the first cluster it was drawn in. That is right
for Latin, Cyrillic, Ethiopic and CJK text, and wrong for scripts whose glyphs are not one
per letter in reading order: a pre-base vowel (Bengali, Devanagari, Myanmar), a mark
above an Arabic or Hebrew letter, a Nastaliq ligature, a glyph two characters share
(Noto Sans CJK draws "·" and "•" alike). This module, installed by ``pdf.render_pdf``:

- gives every text run its words as ``/ActualText``: a left-to-right run on its marked
  content (what poppler, Acrobat and screen readers read), a right-to-left run on its
  structure element (what screen readers read; poppler lays marked content's actual text
  out left to right, so there right-to-left runs keep their glyphs' text);
- maps a glyph that is the font's own glyph for one character to that character;
- joins WeasyPrint's one-string-per-glyph ``TJ`` arrays, which readers parse slowly.

``leaflet preflight`` measures the result for every edition (``preflight.check_text_layer``).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections.abc import Iterator
from typing import Any

from weasyprint.formatting_structure import boxes


@contextlib.contextmanager
def _marked_with_actual_text(self: Any, box: Any, tag: str) -> Iterator[None]:
    """WeasyPrint's ``Stream.marked``, keeping each text run's words for ``/ActualText``.

    A run's glyphs are in visual order and each maps to one piece of text, so a pre-base
    vowel (Bengali, Devanagari, Myanmar), a mark above an Arabic or Hebrew letter or a
    glyph two characters share (CJK "·" and "•") reads back out of order or as another
    letter. The words as written go on the marked content of a left-to-right run; those of
    a right-to-left run are kept for its structure element (``_actual_text_in_tags``)."""
    import pydyf

    if self._tags is not None:
        mcid = len(self._tags)
        assert box not in self._tags
        self._tags[box] = {"tag": tag, "mcid": mcid}
        properties = pydyf.Dictionary({"MCID": mcid})
        words = _LAYOUT_ONLY.sub("", box.text) if isinstance(box, boxes.TextBox) else ""
        if words and box.style["direction"] == "ltr":
            properties["ActualText"] = pydyf.String(words)
        elif words:
            if not hasattr(self, "leaflet_text"):
                self.leaflet_text = {}
            self.leaflet_text[mcid] = words
        pydyf.Stream.begin_marked_content(self, tag, properties)
    try:
        yield
    finally:
        if self._tags is not None:
            pydyf.Stream.end_marked_content(self)


#: Characters that only steer the layout: bidi marks and isolates, the word joiner that keeps
#: Korean words whole, the soft hyphen. Someone copying or searching the text wants none of them.
_LAYOUT_ONLY = re.compile("[\u00ad\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069]")


def _actual_text_in_tags(document: Any, pdf: Any) -> None:
    """Each right-to-left run's structure element gets the run's words as ``/ActualText``."""
    import pydyf

    def resolve(reference: Any) -> Any:
        return pdf.objects[int(bytes(reference).split()[0])]

    if "StructTreeRoot" not in pdf.catalog:
        return
    numbers = resolve(resolve(pdf.catalog["StructTreeRoot"])["ParentTree"])["Nums"]
    pages = pdf.pages["Kids"][::3]  # pydyf lists each page as: number 0 R
    for index in range(0, len(numbers) - 1, 2):
        page_number, elements = numbers[index], numbers[index + 1]
        if not isinstance(page_number, int) or page_number >= len(pages):
            continue
        stream = resolve(pdf.objects[pages[page_number]]["Contents"])
        for mcid, text in getattr(stream, "leaflet_text", {}).items():
            element = resolve(elements[mcid]) if mcid < len(elements) else None
            if element is not None and element.get("S") == "/Span":
                element["ActualText"] = pydyf.String(text)


def _join_glyph_strings(document: Any, pdf: Any) -> None:
    """A WeasyPrint finisher: ``[<0031>0<0053>0<0050>] TJ`` becomes ``[<003100530050>] TJ``.

    WeasyPrint writes each glyph as a string of its own, with a kerning of 0 between
    them; joined, a page's text is a quarter of the size and every reader of the PDF
    (pypdf in the preflight above all) parses it several times faster. Nothing moves."""
    import pydyf

    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream):
            stream.stream = [_ZERO_KERNING.sub(b"", item) if isinstance(item, bytes) and item.endswith(b"] TJ")
                             else item for item in stream.stream]


_ZERO_KERNING = re.compile(rb"(?<=[0-9a-fA-F])>0<(?=[0-9a-fA-F])")


def finish(document: Any, pdf: Any) -> None:
    """WeasyPrint's finisher: runs on the PDF's objects before they are written."""
    _actual_text_in_tags(document, pdf)
    _join_glyph_strings(document, pdf)


def install() -> None:
    """Replace WeasyPrint's ``Stream.marked`` and wrap its ``build_fonts_dictionary``, once."""
    import weasyprint.pdf
    from weasyprint.pdf.stream import Stream

    Stream.marked = _marked_with_actual_text
    if not getattr(weasyprint.pdf.build_fonts_dictionary, "leaflet", False):
        weasyprint.pdf.build_fonts_dictionary = _with_nominal_characters(weasyprint.pdf.build_fonts_dictionary)


def _with_nominal_characters(build_fonts_dictionary: Any) -> Any:
    """WeasyPrint maps each glyph to the text of the first cluster it was drawn in: the
    whole cluster for one glyph, nothing for the others. In Bengali "লি" the glyph of
    "ল" then means "লি" wherever it is drawn, and "লে" reads back as "লি". A glyph that is
    the font's own glyph for exactly one character means that character."""
    def build(pdf: Any, fonts: dict[Any, Any], *args: Any, **kwargs: Any) -> Any:
        for font in fonts.values():
            if font.to_unicode and not font.bitmap:
                nominal, forms = _glyph_characters(font.file_content, font.index)
                for glyph, text in font.to_unicode.items():
                    if glyph in nominal:
                        font.to_unicode[glyph] = nominal[glyph]
                    elif not text and glyph in forms:
                        font.to_unicode[glyph] = forms[glyph]
        return build_fonts_dictionary(pdf, fonts, *args, **kwargs)

    build.leaflet = True  # type: ignore[attr-defined]
    return build


@functools.lru_cache(maxsize=64)
def _glyph_characters(data: bytes, index: int) -> tuple[dict[int, str], dict[int, str]]:
    """Glyph id -> the one character it stands for: the font's own glyphs (its cmap), and
    the forms a one-to-one substitution makes from them (a Devanagari "ि" sized to its
    consonant), which only name glyphs WeasyPrint mapped to nothing. Glyphs two characters
    share are left out. Cached: a batch prints the same prepared subsets again and again."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), fontNumber=index, lazy=True)
    own: dict[str, set[int]] = {}
    for code, name in font.getBestCmap().items():
        own.setdefault(name, set()).add(code)
    forms: dict[str, set[int]] = {}
    for _ in range(3):  # forms of forms
        for source, target in _single_substitutions(font):
            codes = own.get(source) or forms.get(source)
            if codes and target not in own:
                forms.setdefault(target, set()).update(codes)

    def unique(names: dict[str, set[int]]) -> dict[int, str]:
        return {font.getGlyphID(name): chr(next(iter(codes))) for name, codes in names.items() if len(codes) == 1}

    return unique(own), unique(forms)


def _single_substitutions(font: Any) -> Iterator[tuple[str, str]]:
    if "GSUB" not in font:
        return
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)
            if type(table).__name__ == "SingleSubst":
                yield from table.mapping.items()
            elif type(table).__name__ == "AlternateSubst":
                yield from ((source, target) for source, targets in table.alternates.items() for target in targets)
