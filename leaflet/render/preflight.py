"""Preflight: check every printed page before anyone prints it.

Takes a PDF's bytes and what the build expects of it (the language, the
edition, and the text WeasyPrint laid out on each page) and gives one
``Finding`` per problem, each with the file, the page, what is wrong and what
to do. Every build runs it on the bytes before they are saved, so a failure
leaves the previous PDF in place; ``leaflet preflight`` runs it on files.

What it checks, page by page:

- fonts: every font embedded, and only the faces prepared for the language
  (``leaflet <family>``): a glyph from DejaVu, Noto Kufi or any other
  installed font is a fallback;
- page flow: no heading as the last thing on a page (in the bilingual table
  too), no contents list split over two pages, no last page with fewer than
  4 lines;
- page 1 (``check_page_one``): the leaflet's opening, whole: the title, the
  draft notice, the patient's details and directions, the most important
  information;
- page fill (``check_fill``): no page but the last under two-thirds full unless
  the opening ends there (the template starts page 2 after it on purpose), and
  no last page under a quarter full after a page that ends early;
- the measure (``check_measure``): in the standard edition, 45-80 characters
  on a full line of text (the median of each page's);
- the paper: all text at least 10 mm inside every edge, footers on at most 2 lines;
- type sizes: text in the page's flow at least 10 pt (16 pt in large print),
  and nothing, footers included, under 8 pt (16 pt: large print is large
  everywhere, its running head and foot too); and as large as that to the
  eye: a script whose letters are smaller than Latin's at one size (Naskh Arabic)
  must be drawn larger (its effective size);
- what a reader sees (``proofread``): what was typed for the pharmacy and the patient reads
  as typed, no lone word in a bilingual column where the next would fit, no English beside English;
- the text layer: what ``pdftotext`` and pypdf read back from each page is the
  laid-out text in reading order, at least 98 % of its characters after
  Unicode normalisation.
"""

from __future__ import annotations

import difflib
import io
import re
import statistics
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from leaflet.errors import MissingSystemLibrary
from leaflet.languages import LATIN, language
from leaflet.render.fonts import (
    REFERENCE_FAMILY,
    css_family,
    find_font,
    font_chars,
    letter_height,
    letter_units,
    shipped_fonts,
)
from leaflet.render.pdf import PageText
from leaflet.render.printed import (
    Objects,
    Page,
    Printed,
    Ref,
    Run,
    kid_types,
    page_text_runs,
    pdf_text_string,
    read_printed,
    tagged_text,
)
from leaflet.render.proofread import Typed, check_bilingual, check_lone_words, check_typed

ERROR, NOTE = "error", "note"
MM = 72 / 25.4

#: Text must keep this far from every paper edge (office printers cannot print the outer 4-6 mm).
EDGE_MM = 10.0
#: Smallest text in the page's flow, and smallest text at all (footers), in points.
BODY_PT, SMALLEST_PT = 10.0, 8.0
LARGE_BODY_PT, LARGE_SMALLEST_PT = 16.0, 16.0
MAX_FOOTER_LINES = 2
MIN_LAST_PAGE_LINES = 4
#: The share of a page's characters its text layer must give back, in order.
TEXT_LAYER_SHARE = 0.98
#: Where the PDF does not claim PDF/UA (``Language.pdf_ua``), its glyphs need not read back in
#: order, but must still hold the letters: a font whose glyphs do not map back to letters
#: (Nastaliq: 86 %) is far below.
GLYPH_LETTERS_SHARE = 0.95
HEADINGS = frozenset({"H", "H1", "H2", "H3", "H4", "H5", "H6"})
#: Runs whose baselines are this close (points) are on one line.
SAME_LINE = 2.0


@dataclass(frozen=True)
class Finding:
    file: str
    page: int | None
    what: str
    todo: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.file}: page {self.page}" if self.page else self.file
        return f"{where}: {self.severity}: {self.what}" + (f" ({self.todo})" if self.todo else "")


@dataclass(frozen=True)
class Expected:
    """What the PDF should be: its language, its edition and, when known, its text."""

    lang: str
    large_print: bool = False
    #: The text laid out on each page (``pdf.PageText``); None when it is not known.
    pages: tuple[PageText, ...] | None = None
    #: What was typed for the pharmacy and the patient, to be read as typed (``proofread.typed_values``).
    typed: tuple[Typed, ...] = ()
    bilingual: bool = False


def preflight(data: bytes, expected: Expected, file: str) -> list[Finding]:
    """Every problem of the printed pages, errors and notes."""
    readers = _start_pdftotext(data) if expected.pages is not None else None
    printed = read_printed(data)
    found = [Finding(file, page, what, todo) for page, what, todo in _checks(printed, expected)]
    if expected.pages is None:
        found.append(Finding(file, None, "text layer not compared: the text this PDF was made from is not known",
                             "rebuild it with 'leaflet build', which compares it", NOTE))
    else:
        assert readers is not None
        found += [Finding(file, page, what, todo)
                  for page, what, todo in check_text_layer(printed, expected, _pdftotext_pages(readers))]
    return found


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


Problem = tuple[int | None, str, str]  # page, what, what to do


def _checks(printed: Printed, expected: Expected) -> Iterator[Problem]:
    yield from check_fonts(printed, expected.lang)
    yield from check_flow(printed)
    yield from check_edges(printed)
    yield from check_sizes(printed, expected.large_print)
    yield from check_optical_sizes(printed, expected.lang, expected.large_print)
    yield from check_footers(printed)
    yield from check_typed(printed, expected.typed, language(expected.lang).direction == "rtl")
    yield from check_lone_words(printed)
    yield from check_bilingual(expected.lang, expected.bilingual)
    yield from check_page_one(printed)
    yield from check_fill(printed)
    yield from check_measure(printed)


# -- fonts ----------------------------------------------------------------------


def check_fonts(printed: Printed, lang: str) -> Iterator[Problem]:
    prepared = {css_family(family) for family in language(lang).fonts}
    reported: set[tuple[int, str]] = set()
    for number, font in printed.fonts:
        if not font.embedded:
            yield number, f"font {font.name} is not embedded", "print only with the prepared, embedded fonts"
        if font.family not in prepared and (number, font.family) not in reported:
            reported.add((number, font.family))
            page = printed.pages[number - 1]
            chars = "".join(sorted({c for r in page.runs if r.font.family == font.family for c in r.text
                                    if not c.isspace()}))
            if is_fallback(font.family, chars, lang):
                continue
            yield (number, f"{_shown(chars, 20)} drawn in {font.family}, not in a font prepared for '{lang}' "
                           f"({', '.join(sorted(prepared))})",
                   "add the characters to the prepared fonts (leaflet/render/fonts.py) or the font to the language "
                   "(leaflet/languages.py)")


def is_fallback(family: str, chars: str, lang: str) -> bool:
    """A face prepared for what was typed in another script (``fonts.fallback_fonts``): a shipped
    font, not the language's, that draws only letters the language's fonts lack, and the spaces
    and punctuation between them."""
    info = language(lang)
    if family not in {css_family(f) for f, _ in shipped_fonts()} - {css_family(f) for f in info.fonts}:
        return False
    have = font_chars(info)
    return all(ord(c) not in have or not c.isalnum() for c in chars)


# -- page flow ------------------------------------------------------------------


def check_flow(printed: Printed) -> Iterator[Problem]:
    pages = printed.pages
    for page in pages[:-1]:
        body = page_text_runs(page)
        if not body:
            yield page.number, "the page is empty", "remove what forces a page break here"
            continue
        stranded = _stranded_heading(body)
        if stranded:
            yield (page.number, f"the heading {_shown(stranded, 60)} is the last thing on the page; "
                                "what it introduces starts on the next page",
                   "keep headings with what follows (break-after: avoid; orphans)")
    for page, following in zip(pages, pages[1:], strict=False):
        if _contents_split(printed, page, following):
            yield (page.number, f"the contents list goes on over pages {page.number} and {following.number}",
                   "keep the contents list on one page (break-inside: avoid)")
    if len(pages) > 1:
        lines = len(_lines(page_text_runs(pages[-1])))
        if lines < MIN_LAST_PAGE_LINES:
            shown = " ".join(run.text for run in page_text_runs(pages[-1]))
            yield (pages[-1].number, f"the last page holds only {lines} line(s): {_shown(shown, 60)}",
                   f"keep at least {MIN_LAST_PAGE_LINES} lines on the last page (widows, or fit on fewer pages)")


def _stranded_heading(body: list[Run]) -> str:
    """The text of a heading below which nothing else is printed on the page, or ''."""
    headings = [run for run in body if run.element_of(HEADINGS) is not None]
    if not headings:
        return ""
    lowest = max(headings, key=lambda run: run.baseline)
    if any(run.baseline > lowest.baseline + SAME_LINE for run in body if run.element_of(HEADINGS) is None):
        return ""
    heading = lowest.element_of(HEADINGS)
    return "".join(run.text for run in headings if run.element_of(HEADINGS) == heading)


def _contents_split(printed: Printed, page: Page, following: Page) -> bool:
    """The contents is a heading and a list in one top-level element (``nav``); split, its
    list goes on in a top-level element that opens the next page and holds only a list."""
    if not page.blocks or not following.blocks:
        return False
    last, first = kid_types(printed, page.blocks[-1]), kid_types(printed, following.blocks[0])
    opens_contents = len(last) >= 2 and last[0] in HEADINGS and last[-1] == "L"
    return opens_contents and first == ["L"] and page.blocks[-1].get("/S") == following.blocks[0].get("/S")


def _lines(runs: list[Run], marks: bool = False) -> list[list[Run]]:
    """Runs on one line: baselines within ``SAME_LINE`` of the line's last run; with ``marks``, within
    0.4 em of its first, as marks drawn on their own (Arabic vowels) sit a few points off the baseline."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: r.baseline):
        if lines and (run.baseline - lines[-1][0].baseline <= max(SAME_LINE, 0.4 * run.size) if marks
                      else run.baseline - lines[-1][-1].baseline <= SAME_LINE):
            lines[-1].append(run)
        else:
            lines.append([run])
    return lines


# -- the paper --------------------------------------------------------------------


def check_edges(printed: Printed) -> Iterator[Problem]:
    limit = EDGE_MM * MM
    for page in printed.pages:
        runs = [run for run in page.runs if run.text.strip()]
        distances = {
            "left": min(runs, key=lambda r: r.x0, default=None),
            "right": max(runs, key=lambda r: r.x1, default=None),
            "top": min(runs, key=lambda r: r.top, default=None),
            "bottom": max(runs, key=lambda r: r.bottom, default=None),
        }
        for edge, run in distances.items():
            if run is None:
                continue
            gap = {"left": run.x0, "right": page.width - run.x1, "top": run.top,
                   "bottom": page.height - run.bottom}[edge]
            if gap < limit - 0.01:
                yield (page.number, f"text {_shown(run.text, 40)} comes {gap / MM:.1f} mm from the {edge} edge "
                                    f"of the paper (at least {EDGE_MM:g} mm)",
                       "widen the page margin or shorten what is printed there")


def check_footers(printed: Printed) -> Iterator[Problem]:
    """The running text in the page's margins, at its foot and at its head, on at most 2 lines each."""
    for page in printed.pages:
        margins = [run for run in page.runs if run.margin and run.text.strip()]
        for where, runs in (("footer", [r for r in margins if r.baseline > page.height / 2]),
                            ("running head", [r for r in margins if r.baseline <= page.height / 2])):
            lines = len(_lines(runs))
            if lines > MAX_FOOTER_LINES:
                yield (page.number, f"the {where} takes {lines} lines (at most {MAX_FOOTER_LINES})",
                       f"make the {where} wider or its text shorter (templates/leaflet.html)")


def check_sizes(printed: Printed, large_print: bool) -> Iterator[Problem]:
    body_pt, smallest_pt = (LARGE_BODY_PT, LARGE_SMALLEST_PT) if large_print else (BODY_PT, SMALLEST_PT)
    edition = "large print" if large_print else "the standard edition"
    for page in printed.pages:
        small = [run for run in page.runs if run.text.strip() and run.size < smallest_pt - 0.05]
        if small:
            run = min(small, key=lambda r: r.size)
            yield (page.number, f"text {_shown(run.text, 40)} is {run.size:.1f} pt: nothing in {edition} may be "
                                f"smaller than {smallest_pt:g} pt", "make it larger in templates/leaflet.css")
        body = [run for run in page_text_runs(page) if run.size < body_pt - 0.05]
        if body:
            run = min(body, key=lambda r: r.size)
            yield (page.number, f"text {_shown(run.text, 40)} is {run.size:.1f} pt: the text of {edition} must be "
                                f"at least {body_pt:g} pt", "make it larger in templates/leaflet.css")


# -- optical size -----------------------------------------------------------------


def check_optical_sizes(printed: Printed, lang: str, large_print: bool) -> Iterator[Problem]:
    """Each run's effective size, its size times how large its font's letters are beside Latin's
    (``fonts.size_ratio``: Naskh Arabic's reach 0.89 of Latin's x-height), reaches the same
    minimum as its size. The letters are measured in the installed font; the unitsPerEm is the
    embedded font's, where a prepared subset draws a small script larger. A run under the
    minimum by its size alone is ``check_sizes``' to report."""
    body_pt, smallest_pt = (LARGE_BODY_PT, LARGE_SMALLEST_PT) if large_print else (BODY_PT, SMALLEST_PT)
    edition = "large print" if large_print else "the standard edition"
    factors = _optical_factors(printed)
    for page in printed.pages:
        body = {id(run) for run in page_text_runs(page)}
        worst: Run | None = None
        worst_by = 0.0
        for run in page.runs:
            limit = body_pt if id(run) in body else smallest_pt
            effective = run.size * factors.get(run.font.name, 1.0)
            if run.text.strip() and run.size >= limit - 0.05 and effective < limit - 0.05 and \
                    limit - effective > worst_by:
                worst, worst_by = run, limit - effective
        if worst is not None:
            limit = body_pt if id(worst) in body else smallest_pt
            rule = (f"the text of {edition} must read as at least {limit:g} pt" if id(worst) in body
                    else f"nothing in {edition} may read as less than {limit:g} pt")
            yield (page.number, f"text {_shown(worst.text, 40)} is {worst.size:.1f} pt, but its letters are drawn "
                                f"as small as {worst.size * factors[worst.font.name]:.1f} pt Latin "
                                f"({worst.font.family.removeprefix('leaflet ')}): {rule}",
                   "prepare its fonts with leaflet/render/fonts.py, which draws a script with small letters larger")


def _optical_factors(printed: Printed) -> dict[str, float]:
    """For each font prepared for the language, or for what was typed in another script, that
    the PDF embeds, by name, how large its letters are beside Latin's at one size (1 for Latin's own font)."""
    prepared = {css_family(family): (family, package) for family, package in shipped_fonts()}
    reference = letter_height(REFERENCE_FAMILY, LATIN.font_package)
    factors = {}
    for name, (family, embedded_em) in _embedded_fonts(printed).items():
        if family in prepared:
            installed, package = prepared[family]
            units, installed_em = letter_units(find_font(installed, "Regular", package))
            factors[name] = units / (embedded_em or installed_em) / reference
    return factors


def _embedded_fonts(printed: Printed) -> dict[str, tuple[str, int | None]]:
    """Every font the pages (and the forms they draw) use, by name without the subset tag: its
    family and the unitsPerEm of its embedded program (None where there is none)."""
    objects = printed.objects
    if objects is None:
        return {}
    found: dict[str, tuple[str, int | None]] = {}
    seen: set[int] = set()

    def walk(value: Any) -> None:
        resources = objects.resolve(value)
        if not isinstance(resources, dict):
            return
        for ref in (objects.resolve(resources.get("/Font")) or {}).values():
            if isinstance(ref, Ref) and ref.num not in seen:
                seen.add(ref.num)
                name, family, units = _embedded_font(objects, objects[ref])
                found.setdefault(name, (family, units))
        for ref in (objects.resolve(resources.get("/XObject")) or {}).values():
            if isinstance(ref, Ref) and ref.num not in seen:
                seen.add(ref.num)
                walk(objects[ref].get("/Resources"))

    for page in printed.reader.pages:
        assert page.indirect_reference is not None
        walk(objects[page.indirect_reference.idnum].get("/Resources"))
    return found


def _embedded_font(objects: Objects, font: dict[str, Any]) -> tuple[str, str, int | None]:
    from fontTools.ttLib import TTFont, TTLibError

    name = str(font.get("/BaseFont", "")).lstrip("/")
    name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
    descendants = objects.resolve(font.get("/DescendantFonts"))
    described = objects.resolve(descendants[0]) if isinstance(descendants, list) and descendants else font
    descriptor = objects.resolve(described.get("/FontDescriptor")) or {}
    family = pdf_text_string(descriptor.get("/FontFamily", name.encode()))
    program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
    if not isinstance(program, Ref):
        return name, family, None
    try:
        with TTFont(io.BytesIO(objects.stream_data(program)), lazy=True) as tt:
            return name, family, int(tt["head"].unitsPerEm)
    except (TTLibError, KeyError, ValueError):  # a bare CFF or Type 1 program: taken as installed
        return name, family, None


# -- page 1, page fill and the measure ----------------------------------------------


#: A page but the last is at least this full, unless the leaflet's opening ends on it.
MIN_FILL = 2 / 3
#: The last page is at least this full when the page before it ends early (under ``FULL_PAGE``):
#: otherwise the last two pages should share the text.
MIN_LAST_FILL, FULL_PAGE = 0.25, 0.85
#: Characters on a full line of text in the standard edition (the median of a page's full lines):
#: about 45-75 reads best; fewer breaks the sentence too often, more loses the next line's start.
MEASURE = (45, 80)
#: Runs of one line further apart than this (points) are in separate columns (the bilingual table).
COLUMN_GAP = 12.0
#: A page needs this many full lines before its measure is judged (a last page of boxes, with a few
#: short lines inside their frames, says little about the measure: Burmese, 5 lines of 43).
MEASURED_LINES = 8
#: Where a paragraph's lines are: a full line is one its paragraph goes on after.
_PARAGRAPHS = frozenset({"P", "LBody", "TD", "TH"})


@dataclass(frozen=True)
class Block:
    """A child of /Document on one page (WeasyPrint starts a new one on each page it goes on to)."""

    page: int
    type: str
    runs: tuple[Run, ...]


def top_level(printed: Printed) -> list[Block]:
    """The document's top-level elements in reading order, each with its runs on its page."""
    found = []
    for page in printed.pages:
        runs: dict[int, list[Run]] = {}
        for run in page_text_runs(page):
            if run.elements and printed.objects is not None:
                runs.setdefault(id(printed.objects[run.elements[0]]), []).append(run)
        found += [Block(page.number, str(block.get("/S", "")).lstrip("/"), tuple(runs.get(id(block), ())))
                  for block in page.blocks]
    return found


def opening(blocks: list[Block]) -> list[Block]:
    """What page 1 must hold: the header (title), the draft notice, then the sections that follow
    it (``<section>``, tagged Sect: the patient's details and directions, the most important
    information), to the last one before the rest; without a section, up to the title."""
    first = next((i for i, block in enumerate(blocks) if block.type == "Sect"), None)
    if first is None:
        titled = [i for i, block in enumerate(blocks) if any("H1" in run.path for run in block.runs)]
        return blocks[:titled[0] + 1] if titled else []
    end = first
    while end < len(blocks) and blocks[end].type == "Sect":
        end += 1
    return blocks[:end]


def check_page_one(printed: Printed) -> Iterator[Problem]:
    """The opening whole on page 1. Only its last section (the most important information), when it
    is longer than page 1 can hold (zolpidem's five warnings in large print), goes on to page 2, and
    then page 1 must be full: ``FULL_PAGE`` full, or its room left smaller than the first paragraph
    (or table row) that went on."""
    opened = opening(top_level(printed))
    # The section that page 1 ends with, if it starts there with its heading.
    lead = [i for i, block in enumerate(opened) if block.type == "Sect" and block.page == 1
            and _headed(block)][-1:]
    moved = [(i, block) for i, block in enumerate(opened) if block.page != 1 and block.runs]
    if (moved and lead and all(block.type == "Sect" and i > lead[0] for i, block in moved)
            and _page_one_full(printed, moved[0][1])):
        return
    # A page 1 filled by the opening (a patient's block with long free directions in large print)
    # lets the rest of it go on to page 2: what comes after the first section (the patient's
    # block, or else the most important information), which itself starts on page 1.
    first = next((i for i, block in enumerate(opened) if block.type == "Sect"), None)
    if (moved and first is not None and opened[first].page == 1 and all(i > first for i, _ in moved)
            and _page_one_full(printed, moved[0][1])):
        return
    if moved:
        block = moved[0][1]
        shown = " ".join(run.text for run in sorted(block.runs, key=lambda r: (r.baseline, r.x0)))
        yield (1, f"page 1 does not hold the whole opening of the leaflet: {_shown(shown, 50)} is on page "
                  f"{block.page}; page 1 holds the title, the draft notice, the patient's details and "
                  "directions and the most important information",
               "make room on page 1 (templates/leaflet.css): smaller gaps, a smaller title, a compact patient block")


def _headed(block: Block) -> bool:
    return any(kind in HEADINGS for run in block.runs for kind in run.path)


#: What goes on to the next page whole, or nearly: a paragraph, a list item, a table row.
_UNITS = frozenset({"P", "LI", "TR"})


def _page_one_full(printed: Printed, went_on: Block) -> bool:
    """Page 1 at least ``FULL_PAGE`` full, or its room left smaller than what went on needed."""
    fill = page_fill(printed)
    if fill.shares[0] >= FULL_PAGE:
        return True
    first = min(went_on.runs, key=lambda r: r.top)
    # The first unit of text with what is kept with it: a heading, or a table's header and heading
    # rows, goes only with the row or paragraph after it.
    units: dict[int | None, list[Run]] = {}
    for run in sorted(went_on.runs, key=lambda r: r.top):
        units.setdefault(run.element_of(_UNITS), []).append(run)
    runs: list[Run] = []
    for unit, unit_runs in units.items():
        runs += unit_runs if unit is not None else [first]
        if unit is None or not all("TH" in run.path or any(k in HEADINGS for k in run.path) for run in unit_runs):
            break
    height = max(run.bottom for run in runs) - min(run.top for run in runs)
    return (1 - fill.shares[0]) * (fill.bottom - fill.top) < height + 2 * first.size


@dataclass(frozen=True)
class Fill:
    """How full each page is: the bottom of its last line of text in the page's flow, as a share of
    the text area, which runs from the highest line any page starts at to the lowest line any page
    ends at, or to the running foot where it is lower (the foot's box starts where the area ends)."""

    shares: tuple[float, ...]
    top: float = 0.0  # the text area, in points from the top of the page
    bottom: float = 0.0


def page_fill(printed: Printed) -> Fill:
    flows = [page_text_runs(page) for page in printed.pages]
    tops = [min(run.top for run in runs) for runs in flows if runs]
    if not tops:
        return Fill(tuple(0.0 for _ in flows))
    top = min(tops)
    bottom = max(max(run.bottom for run in runs) for runs in flows if runs)
    for page in printed.pages:
        foot = [run.top for run in page.runs if run.margin and run.text.strip() and run.baseline > page.height / 2]
        if foot:
            bottom = max(bottom, min(foot) - FOOT_GAP_MM * MM)
    return Fill(tuple((max(run.bottom for run in runs) - top) / (bottom - top) if runs else 0.0 for runs in flows),
                top, bottom)


#: The running foot's text starts at least this far under the text area (its padding and half-leading: 3 mm in the
#: standard edition, 5 mm in large print); counted generously, a page looks no emptier than it is.
FOOT_GAP_MM = 6.0


def check_fill(printed: Printed) -> Iterator[Problem]:
    pages = printed.pages
    if len(pages) < 2:
        return
    fill = page_fill(printed).shares
    blocks = top_level(printed)
    opened = opening(blocks)
    # The page where the opening ends may end early: the template starts the next one after it on purpose.
    ends_opening = {opened[-1].page} if opened and len(opened) < len(blocks) else set()
    moved_over = _moved_over(printed, fill, blocks)
    for page, share in zip(pages[:-1], fill, strict=False):
        # The page before the last may end early for the closing block (the pharmacy's box, kept
        # whole with the text's last lines) when the last page could not have moved back.
        closing = page.number == pages[-1].number - 1 and not moved_over
        if share < MIN_FILL and page.number not in ends_opening and not closing:
            following = next((b for b in blocks if b.page == page.number + 1 and b.runs), None)
            starts = (f"; page {page.number + 1} starts with "
                      f"{_shown(' '.join(r.text for r in _first_line(following.runs)), 40)}" if following else "")
            yield (page.number, f"the page is only {share:.0%} full{starts}",
                   f"let the text run on (no page but the last under {MIN_FILL:.0%} full): look for a "
                   "break-before, break-after: avoid or break-inside: avoid that moves it (templates/leaflet.css)")
    if fill[-1] < MIN_LAST_FILL and fill[-2] < FULL_PAGE and moved_over:
        yield (pages[-1].number, f"the last page is only {fill[-1]:.0%} full after a page that ends at "
                                 f"{fill[-2]:.0%}",
               "share the text between the last two pages (no break-after: avoid that pulls lines over, "
               "or fit on fewer pages)")


def _moved_over(printed: Printed, fill: tuple[float, ...], blocks: list[Block]) -> bool:
    """The last page's text was moved over when it did not have to be: it starts with a heading (a
    whole section went over with the closing block), or it would have fitted in the room left on
    the page before. A last page that starts mid-paragraph, with more than that room held, is as
    late a break as the closing block (the pharmacy's box, kept whole) allows."""
    last = page_text_runs(printed.pages[-1])
    first = _first_line(tuple(last))
    fits = fill[-1] <= 1 - fill[-2]
    # The closing box (the pharmacy's, an aside: NonStruct in the tags) opens with its own heading;
    # kept whole, it goes over only when it does not fit.
    opening_block = next((b for b in blocks if b.page == printed.pages[-1].number and b.runs), None)
    if opening_block is not None and opening_block.type == "NonStruct":
        return fits
    return any(kind in HEADINGS for run in first for kind in run.path) or fits


def _first_line(runs: tuple[Run, ...]) -> list[Run]:
    """The block's first line of text; a table's repeated header row is not its text."""
    lines = _lines([run for run in runs if "TH" not in run.path] or list(runs))
    return sorted(lines[0], key=lambda r: r.x0) if lines else []


def line_lengths(page: Page, skipped: frozenset[int] = frozenset()) -> list[int]:
    """The characters on each full line of the page's text: a line of a paragraph (or list item, or
    table cell) that the paragraph goes on after. Each column of a line counts on its own;
    a combining mark counts for nothing and a wide (CJK) character for two, as wide as two Latin letters."""
    by_paragraph: dict[int, list[Run]] = {}
    for run in page_text_runs(page):
        if run.elements and run.elements[0].num in skipped:
            continue
        paragraph = run.element_of(_PARAGRAPHS)
        if paragraph is not None and not any(kind in HEADINGS for kind in run.path):
            by_paragraph.setdefault(paragraph, []).append(run)
    lengths = []
    for runs in by_paragraph.values():
        lines = [line for whole in _lines(runs, marks=True) for line in _columns(whole)]
        lengths += [_width(" ".join(run.text for run in line)) for line in lines[:-1]]
    return [length for length in lengths if length]


def _columns(line: list[Run]) -> list[list[Run]]:
    columns: list[list[Run]] = []
    for run in sorted(line, key=lambda r: r.x0):
        if columns and run.x0 - columns[-1][-1].x1 <= COLUMN_GAP:
            columns[-1].append(run)
        else:
            columns.append([run])
    return columns


def _width(text: str) -> int:
    text = " ".join(text.split())
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def check_measure(printed: Printed) -> Iterator[Problem]:
    """The standard edition only: large print's measure follows from its type, and each column of
    the bilingual table holds half of it."""
    edition = printed.info.get("leafletedition", "standard").split(".")
    if "large" in edition or edition[0].endswith("+en"):
        return
    low, high = MEASURE
    # What was typed for the patient (a section without a heading) is not the leaflet's text: a
    # long name without spaces wraps anywhere.
    typed = frozenset(run.elements[0].num for block in top_level(printed) if block.type == "Sect"
                      and not any(kind in HEADINGS for r in block.runs for kind in r.path)
                      for run in block.runs if run.elements)
    for page in printed.pages:
        lengths = line_lengths(page, typed)
        if len(lengths) < MEASURED_LINES:
            continue
        median = statistics.median(lengths)
        if not low <= median <= high:
            yield (page.number, f"its lines hold {median:.0f} characters (the median of {len(lengths)} full lines): "
                                f"{low}-{high} read well",
                   "make the text column " + ("narrower or the type larger" if median > high else "wider")
                   + " (templates/leaflet.css)")


# -- the text layer -----------------------------------------------------------------


def _start_pdftotext(data: bytes) -> subprocess.Popen[bytes]:
    """Started first: poppler reads the PDF in its own process while Python checks the rest."""
    try:
        process = subprocess.Popen(["pdftotext", "-enc", "UTF-8", "-", "-"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except FileNotFoundError:
        raise MissingSystemLibrary("poppler's pdftotext is not installed: the preflight reads each page with it",
                                   hint="install it with: apt-get install poppler-utils") from None
    assert process.stdin is not None
    try:
        process.stdin.write(data)
        process.stdin.close()
    except BrokenPipeError:
        pass
    return process


def _pdftotext_pages(process: subprocess.Popen[bytes]) -> list[str]:
    assert process.stdout is not None
    out = process.stdout.read().decode("utf-8", errors="replace")
    process.wait()
    return out.split("\f")


def check_text_layer(printed: Printed, expected: Expected, pdftotext: list[str]) -> Iterator[Problem]:
    """Each page read three ways. The tag tree (what screen readers read) must give the
    page's flow in order; pdftotext and pypdf, which read the glyphs, must give every letter,
    and in order too where the PDF claims PDF/UA (``Language.pdf_ua``). A running head may
    come first (pdftotext reads by position) or after the page's flow (pypdf follows the
    drawing order, and WeasyPrint draws the margins last)."""
    pages = expected.pages or ()
    if len(pages) != len(printed.pages):
        yield None, f"the PDF has {len(printed.pages)} pages, the layout {len(pages)}", "rebuild it"
        return
    tagged = tagged_text(printed)
    for index, (page, laid_out) in enumerate(zip(printed.pages, pages, strict=True)):
        readings = {"pdftotext": pdftotext[index] if index < len(pdftotext) else "",
                    "pypdf": printed.reader.pages[index].extract_text()}
        head, flow, foot = (normalised(part) for part in (laid_out.head, laid_out.flow, laid_out.foot))
        orders = [head + flow + foot, flow + head + foot, flow + foot + head]
        for reader, text in readings.items():
            got = normalised(text)
            share, where = _best_share(orders, got) if printed.pdf_ua else letter_share(orders[0], got)
            if share < (TEXT_LAYER_SHARE if printed.pdf_ua else GLYPH_LETTERS_SHARE):
                how = "in order" if printed.pdf_ua else "in any order"
                yield (page.number, f"{reader} reads back only {share:.1%} of the printed letters {how} "
                                    f"(first difference at {_shown(where, 30)})",
                       "use a font whose glyphs map back to the letters" +
                       ("" if not printed.pdf_ua else ", or drop the PDF/UA claim (Language.pdf_ua)"))
        share, where = text_share(flow, normalised(tagged[index]))
        if share < TEXT_LAYER_SHARE:
            yield (page.number, f"the tag tree reads back only {share:.1%} of the printed text in order "
                                f"(first difference at {_shown(where, 30)})",
                   "each run's words belong in its structure element's /ActualText (leaflet/render/textlayer.py)")


#: Brackets are drawn mirrored in right-to-left text, from the glyph of their partner.
_MIRRORED = str.maketrans(")]}>»›", "([{<«‹")
#: Hyphens added at line ends, and the hyphen-like characters readers drop or add there.
_HYPHENS = re.compile("[\u002d\u2010\u2011\u00ad]")


#: Unicode's format characters (category Cf): bidi marks and isolates, joiners, invisible.
_FORMAT = re.compile("[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
                     "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")


def normalised(text: str) -> list[str]:
    """What two readings of one text must share, word by word: NFKC, no format characters
    (bidi marks, joiners: invisible), no hyphens, brackets without direction."""
    text = _FORMAT.sub("", unicodedata.normalize("NFKC", text))
    return _HYPHENS.sub("", text).translate(_MIRRORED).split()


def text_share(want: list[str], got: list[str]) -> tuple[float, str]:
    """The share of characters two texts have in common, in order, over both lengths, and
    where they first differ. Words are matched first, then the characters of the words that
    differ (a line break or a hyphen splits words differently in each reading): fast, as
    most words match."""
    size = sum(map(len, want)) + sum(map(len, got))
    common, first = 0, None
    words = difflib.SequenceMatcher(None, want, got, autojunk=False)
    for tag, i1, i2, j1, j2 in words.get_opcodes():
        if tag == "equal":
            common += sum(len(w) for w in want[i1:i2])
            continue
        a, b = "".join(want[i1:i2]), "".join(got[j1:j2])
        matched = sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
        common += matched
        if first is None and matched < max(len(a), len(b)):
            first = "".join(want[i1:i1 + 4])
    return (2 * common / size if size else 1.0), first or ""


def _best_share(orders: list[list[str]], got: list[str]) -> tuple[float, str]:
    """The first order of the page's parts that reads back well enough, else the best."""
    tried = []
    for order in orders:
        tried.append(text_share(order, got))
        if tried[-1][0] >= TEXT_LAYER_SHARE:
            break
    return max(tried)


def letter_share(want: list[str], got: list[str]) -> tuple[float, str]:
    """The share of letters two texts have in common, in any order, and the first letter missing."""
    a, b = Counter("".join(want)), Counter("".join(got))
    size = sum(a.values()) + sum(b.values())
    missing = sorted(a - b, key="".join(want).index)
    return (2 * sum((a & b).values()) / size if size else 1.0), "".join(missing[:10])


def _shown(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return '"' + (text if len(text) <= limit else text[:limit - 1] + "…") + '"'
