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
- maps a glyph that is the font's own glyph for one character to that character, and every
  glyph of a cluster to the letters it draws (a conjunct without its vowel sign);
- draws the glyphs of each left-to-right cluster in reading order, each at its own place, so
  readers that follow the drawing order (pypdf) read "কে", not "েক";
- joins WeasyPrint's one-string-per-glyph ``TJ`` arrays, which readers parse slowly.

``leaflet preflight`` measures the result for every edition (``preflight.check_text_layer``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from weasyprint.formatting_structure import boxes

from leaflet.files import write_atomic


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


def install(cache_dir: Path | None = None) -> None:
    """Replace WeasyPrint's ``Stream.marked``, wrap its ``build_fonts_dictionary`` and its
    ``draw_first_line``, once; what each font's glyphs stand for is kept in ``cache_dir``."""
    global _CACHE_DIR
    _CACHE_DIR = cache_dir
    import weasyprint.draw.text
    import weasyprint.pdf
    from weasyprint.pdf.stream import Stream

    Stream.marked = _marked_with_actual_text
    if not getattr(weasyprint.pdf.build_fonts_dictionary, "leaflet", False):
        weasyprint.pdf.build_fonts_dictionary = _with_nominal_characters(weasyprint.pdf.build_fonts_dictionary)
    if not getattr(weasyprint.draw.text.draw_first_line, "leaflet", False):
        weasyprint.draw.text.draw_first_line = _in_reading_order(weasyprint.draw.text.draw_first_line)


def _with_nominal_characters(build_fonts_dictionary: Any) -> Any:
    """WeasyPrint maps each glyph to the text of the first cluster it was drawn in: the
    whole cluster for one glyph, nothing for the others. In Bengali "লি" the glyph of
    "ল" then means "লি" wherever it is drawn, and "লে" reads back as "লি". A glyph that is
    the font's own glyph for exactly one character means that character."""
    def build(pdf: Any, fonts: dict[Any, Any], *args: Any, **kwargs: Any) -> Any:
        for font in fonts.values():
            if font.to_unicode and not font.bitmap:
                nominal, forms = _glyph_characters(font.file_content, font.index)
                in_clusters: dict[int, str] = getattr(font, "leaflet_text", {})
                for glyph, text in font.to_unicode.items():
                    if glyph in nominal:
                        font.to_unicode[glyph] = nominal[glyph]
                    elif glyph in in_clusters:
                        font.to_unicode[glyph] = in_clusters[glyph]
                    elif not text and glyph in forms:
                        font.to_unicode[glyph] = forms[glyph]
        return build_fonts_dictionary(pdf, fonts, *args, **kwargs)

    build.leaflet = True  # type: ignore[attr-defined]
    return build


#: Where ``_glyph_characters`` keeps its answers between processes (``install``).
_CACHE_DIR: Path | None = None


def _glyph_characters(data: bytes, index: int) -> tuple[dict[int, str], dict[int, str]]:
    """``_read_glyph_characters``, kept on disk by the font's digest: reading a font's tables
    takes longer than the rest of the text layer's work."""
    return _glyph_characters_cached(hashlib.sha256(data).hexdigest(), data, index, _CACHE_DIR)


@functools.lru_cache(maxsize=64)
def _glyph_characters_cached(digest: str, data: bytes, index: int,
                             cache_dir: Path | None) -> tuple[dict[int, str], dict[int, str]]:
    kept = cache_dir / "fonts" / f"{digest[:32]}-{index}.glyphs.json" if cache_dir else None
    if kept is not None and kept.is_file() and not kept.is_symlink():
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            saved = json.loads(kept.read_text(encoding="utf-8"))
            return ({int(g): str(c) for g, c in saved["own"].items()},
                    {int(g): str(c) for g, c in saved["forms"].items()})
    own, forms = _read_glyph_characters(data, index)
    if kept is not None:
        with contextlib.suppress(OSError):  # only a speed-up
            write_atomic(kept, json.dumps({"own": own, "forms": forms}, ensure_ascii=False).encode())
    return own, forms


def _read_glyph_characters(data: bytes, index: int) -> tuple[dict[int, str], dict[int, str]]:
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


# -- glyphs in reading order ---------------------------------------------------------------

#: The longest pen move (thousandths of an em) a ``TJ`` array gets in one number. pypdf reads
#: a move of half a space or more to the right as a word space, so the jump over a pre-base
#: vowel drawn after its consonant is written as several short moves: the same place on
#: the page, no space that is not printed.
_LONGEST_MOVE = 60.0
_MOVE = re.compile(rb"(?<=[>\[])-[0-9.e+-]+(?=<)")


def _in_reading_order(draw_first_line: Any) -> Any:
    """WeasyPrint draws a left-to-right run's glyphs in visual order, so a reader that follows
    the drawing order (pypdf, and anyone searching the page's content stream) reads the
    Bengali "কে" as "েক": the vowel sign is drawn, left of its consonant, first. Within each
    cluster of such a run the glyphs are drawn in the order of the letters they stand for,
    each at the place it had; the page looks the same. Every glyph of a cluster is also
    noted with its own letters, for the ``ToUnicode`` map (``_with_nominal_characters``)."""
    @functools.wraps(draw_first_line)
    def draw(stream: Any, textbox: Any, *args: Any, **kwargs: Any) -> Any:
        layout = textbox.pango_layout
        get_first_line = layout.get_first_line
        undo: list[Any] = []

        def first_line() -> Any:
            _undo(undo)
            line, index = get_first_line()
            undo.extend(_reorder_line(stream, line, layout.text))
            return line, index

        layout.get_first_line = first_line
        start = len(stream.stream)
        try:
            return draw_first_line(stream, textbox, *args, **kwargs)
        finally:
            del layout.get_first_line
            if undo:
                stream.stream[start:] = [_short_moves(item) for item in stream.stream[start:]]
            _undo(undo)

    draw.leaflet = True  # type: ignore[attr-defined]
    return draw


def _undo(undo: list[Any]) -> None:
    while undo:
        undo.pop()()


def _short_moves(item: Any) -> Any:
    """``[<0012>-180<0034>] TJ`` becomes ``[<0012>-60 -60 -60<0034>] TJ``: the same move."""
    if not (isinstance(item, bytes) and item.endswith(b"] TJ")):
        return item

    def split(match: re.Match[bytes]) -> bytes:
        move = float(match.group())
        if move >= -_LONGEST_MOVE:
            return match.group()
        pieces = int(-move // _LONGEST_MOVE) + 1
        return b" ".join([b"%g" % (move / pieces)] * pieces)

    return _MOVE.sub(split, item)


def _reorder_line(stream: Any, line: Any, text: str) -> Iterator[Any]:
    """Reorder the glyphs of each left-to-right run of a Pango line; yields how to undo it."""
    from weasyprint.text.ffi import ffi

    utf8 = text.encode()
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        font, _ = stream.add_font(glyph_item.item.analysis.font)
        if font.bitmap or not font.file_content:
            continue
        restore = _reorder_run(font, glyph_item, utf8)
        if restore is not None:
            yield restore


def _reorder_run(font: Any, glyph_item: Any, utf8: bytes) -> Any:
    """The glyphs of one run, cluster by cluster in reading order at their own places, and a
    function that puts them back. None when nothing moves (or the run is right-to-left:
    readers that follow the drawing order expect those glyphs in visual order)."""
    from weasyprint.text.ffi import ffi

    item, glyphs = glyph_item.item, glyph_item.glyphs
    count = glyphs.num_glyphs
    clusters = ffi.unpack(glyphs.log_clusters, count)  # one call, not one per glyph
    if len(set(clusters)) == count:  # one glyph per letter (Latin, Cyrillic, CJK): in order, each its own
        return None
    ids = [glyphs.glyphs[i].glyph for i in range(count)]
    bounds = sorted(set(clusters)) + [item.length]
    texts = {start: utf8[item.offset + start:item.offset + bounds[bounds.index(start) + 1]].decode(errors="replace")
             for start in set(clusters)}
    characters = _known_characters(font)
    order = list(range(count))
    for first, last in _groups(clusters):
        ranks = _ranks(ids[first:last], texts[clusters[first]], characters, font)
        order[first:last] = [first + i for i in sorted(range(last - first), key=ranks.__getitem__)]
    if item.analysis.level % 2 or order == list(range(count)):
        return None
    size = ffi.sizeof("PangoGlyphInfo")
    saved = ffi.buffer(glyphs.glyphs, count * size)[:]
    saved_clusters = list(clusters)
    widths = [glyphs.glyphs[i].geometry.width for i in range(count)]
    pens = [sum(widths[:i]) for i in range(count)]
    offsets = [glyphs.glyphs[i].geometry.x_offset for i in range(count)]
    pen = 0
    for new, old in enumerate(order):
        ffi.memmove(glyphs.glyphs + new, saved[old * size:(old + 1) * size], size)
        # WeasyPrint draws an offset of n Pango units (1/1024 pt) n/1000 pt away from the pen.
        glyphs.glyphs[new].geometry.x_offset = round((pens[old] - pen) * 1000 / 1024) + offsets[old]
        glyphs.log_clusters[new] = saved_clusters[old]
        pen += widths[old]

    def restore() -> None:
        ffi.memmove(glyphs.glyphs, saved, count * size)
        for i, cluster in enumerate(saved_clusters):
            glyphs.log_clusters[i] = cluster

    return restore


def _groups(clusters: list[int]) -> Iterator[tuple[int, int]]:
    """The runs of glyphs of one cluster, as (first, end) indices."""
    first = 0
    for i in range(1, len(clusters) + 1):
        if i == len(clusters) or clusters[i] != clusters[first]:
            yield first, i
            first = i


def _ranks(ids: list[int], text: str, characters: dict[int, str], font: Any) -> list[int]:
    """Where each glyph of a cluster comes in its text (decomposed: HarfBuzz draws Bengali
    "ো" as "ে" and "া"): a glyph that is the font's glyph for a letter at that letter, the
    others (conjuncts, ligatures) at the first letters no glyph claims, in the order drawn.
    What each glyph stands for is noted on the font, once, for its ``ToUnicode`` entry."""
    letters = list(unicodedata.normalize("NFD", text))
    ranks: list[int | None] = [None] * len(ids)
    claimed: set[int] = set()
    noted: dict[int, str] = font.__dict__.setdefault("leaflet_text", {})
    for i, glyph in enumerate(ids):
        character = characters.get(glyph)
        at = next((j for j, c in enumerate(letters) if c == character and j not in claimed), None)
        if at is not None:
            ranks[i] = at
            claimed.add(at)
            if len(ids) > 1:
                noted.setdefault(glyph, letters[at])
    free = [j for j in range(len(letters)) if j not in claimed]
    unknown = [i for i, rank in enumerate(ranks) if rank is None]
    for n, i in enumerate(unknown):
        ranks[i] = free[n] if n < len(free) else len(letters) + n
        if len(ids) > 1 and ids[i] not in noted:
            mine = free[n:n + 1] if n < len(unknown) - 1 else free[n:]  # the last takes the rest
            noted[ids[i]] = unicodedata.normalize("NFC", "".join(letters[j] for j in mine))
    return [rank if rank is not None else 0 for rank in ranks]


def _known_characters(font: Any) -> dict[int, str]:
    """Kept on the font: every run drawn with it asks."""
    known: dict[int, str] | None = font.__dict__.get("leaflet_known")
    if known is None:
        nominal, forms = _glyph_characters(font.file_content, font.index)
        known = font.__dict__["leaflet_known"] = {**forms, **nominal}
    return known
