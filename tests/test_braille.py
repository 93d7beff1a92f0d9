"""The braille edition (``leaflet.editions.braille``): the BRF's pages against an embosser's
limits, the braille read back through liblouis, text a table cannot write refused with the
character named, and the page maker (wrapping, pages) and Braille ASCII on their own."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaflet.coverage import coverage, coverage_table
from leaflet.editions.braille import (
    BLANK,
    BRAILLE_ASCII,
    CELL_5,
    CELLS,
    CENTERED,
    DISPLAY_TABLE,
    LINES,
    PARAGRAPH,
    Piece,
    check_brf,
    make_braille,
    page_numbers,
    paginate,
    table_file,
    tables_folder,
    translate,
    wrap,
)
from leaflet.editions.made import Source, make_edition, read_source
from leaflet.editions.reading import Block, Section
from leaflet.errors import EditionFailed, UsageError
from leaflet.project import Project
from leaflet.render.edition import resolve_edition
from leaflet.render.options import BuildOptions

BRAILLE = BuildOptions(medium="braille")
WITH_A_TABLE = sorted(lang for lang, row in coverage_table().items() if row.braille)


@pytest.fixture(scope="module")
def source(shared_project: Project) -> Callable[[str], Source]:
    @functools.cache
    def source(lang: str, leaflet: str = "diazepam") -> Source:
        return read_source(shared_project, resolve_edition(shared_project, leaflet, lang, BRAILLE))[0]

    return source


@pytest.fixture(scope="module")
def brf(source: Callable[[str], Source]) -> Callable[[str], bytes]:
    """A language's diazepam BRF, made once per module."""
    return functools.cache(lambda lang: make_braille(source(lang)).data)


def pages(data: bytes) -> list[list[str]]:
    """The BRF's pages, each as its lines without their CR LF."""
    text = data.decode("ascii")
    assert "\r" not in text.replace("\r\n", "") and "\n" not in text.replace("\r\n", "")
    found = []
    for page in text.split("\f"):
        assert page.endswith("\r\n")
        found.append(page[:-2].split("\r\n"))
    return found


def to_brf(cells: str) -> str:
    return "".join(BRAILLE_ASCII[ord(c) - 0x2800] for c in cells)


def test_the_spanish_leaflet_fits_an_embossers_pages(brf: Callable[[str], bytes]) -> None:
    data = brf("es")
    found = pages(data)
    assert len(found) > 1 and not data.endswith(b"\f")  # no blank sheet after the last page
    for number, page in enumerate(found, 1):
        assert len(page) == LINES
        assert all(len(line) <= CELLS for line in page)
        assert set("".join(page)) <= set(BRAILLE_ASCII)
        # the page number at the right of line 25: the number sign and the letters a-j
        assert page[-1] == ("#" + "".join("JABCDEFGHI"[int(d)] for d in str(number))).rjust(CELLS)
    assert check_brf(data.decode("ascii")) == []


def test_the_title_is_centered_on_page_1(brf: Callable[[str], bytes], source: Callable[[str], Source]) -> None:
    title = Block("title", source("es").leaflet.title).plain
    tables = [tables_folder() / DISPLAY_TABLE, table_file("es-g2.ctb")]
    expected = to_brf(translate([title], tables)[0])
    line = next(line for line in pages(brf("es"))[0] if line.strip() == expected)
    assert len(line) - len(line.lstrip()) >= 3 and abs(len(line) - len(line.lstrip()) - (CELLS - len(line))) <= 1


def back_translation(data: bytes, lang: str) -> str:
    """The text lines of a BRF read back through the same table, with the Braille ASCII display
    table; joined without spaces, so a word cut at the end of a line reads back whole."""
    text = [line for page in pages(data) for line in page[:-1] if line.strip()]
    tables = [tables_folder() / "en-us-brf.dis", table_file(coverage(lang).braille or "")]
    return "".join("".join(translate(text, tables, backward=True)).split())


def test_the_english_braille_reads_back_as_the_leaflet(brf: Callable[[str], bytes],
                                                       source: Callable[[str], Source]) -> None:
    back = back_translation(brf("en"), "en")
    model = source("en")
    text = " ".join(block.plain for section in model.sections for block in section.blocks)
    assert "".join(Block("title", model.leaflet.title).plain.split()) in back
    assert "DailyMed" in back
    numbers = re.findall(r"\d+", text)
    assert "12" in numbers and "2026" in numbers
    assert [n for n in numbers if n not in back] == []


def test_the_spanish_braille_reads_back(brf: Callable[[str], bytes]) -> None:
    """es-g2.ctb is a forward table (``#+direction:forward``): read back, its number sign
    comes out as "ion", so the words are checked here and the numbers in English."""
    back = back_translation(brf("es"), "es")
    for words in ("Diazepam", "paradormir", "pregunteasufarmacéutico"):
        assert words in back


def test_the_same_leaflet_gives_the_same_bytes(brf: Callable[[str], bytes], source: Callable[[str], Source]) -> None:
    made = make_braille(source("es"))
    assert made.data == brf("es")
    assert made.notes[0].startswith("table es-g2.ctb, grade 2, liblouis 3.")
    assert table_file("es-g2.ctb") in made.inputs


@pytest.mark.parametrize(("lang", "reason"), [("yi", "liblouis 3.24 has no Yiddish table"),
                                              ("ro", "only an eight-dot computer table")])
def test_a_language_without_a_table_is_refused_with_the_reason(shared_project: Project, lang: str,
                                                               reason: str) -> None:
    edition = resolve_edition(shared_project, "diazepam", lang, BRAILLE)
    with pytest.raises(UsageError, match=f"no braille edition in '{lang}': .*{reason}"):
        make_edition(shared_project, edition)


@pytest.mark.parametrize(("lang", "typed", "refused"), [
    # liblouis's escape, its backslash a cell of eight dots
    ("es", "Farmacia 中央", r"es-g2.ctb has no braille for '中' \(U\+4E2D CJK UNIFIED IDEOGRAPH-4E2D"),
    # an escape of six dots: pl.tbl has a one-cell backslash
    ("pl", "Apteka 中央", r"pl.tbl has no braille for '中' \(U\+4E2D CJK UNIFIED IDEOGRAPH-4E2D, in \"Apteka 中央\"\)"),
    # fr-bfu-g2 writes a blank cell for what it cannot write
    ("fr", "Pharmacie 中央", r"fr-bfu-g2.ctb has no braille for '中'"),
])
def test_what_a_table_cannot_write_is_refused_and_named(source: Callable[[str], Source], lang: str, typed: str,
                                                        refused: str) -> None:
    model = source(lang)
    typed_only = Source(model.leaflet, [Section("pharmacy", None, (Block("typed", typed=typed),))], model.edition)
    with pytest.raises(EditionFailed, match=refused):
        make_braille(typed_only)


def test_what_a_table_can_write_is_not_refused(source: Callable[[str], Source]) -> None:
    model = source("es")
    typed = Block("typed", typed="Farmacia Central, l'Hospitalet d'Elba")
    typed_only = Source(model.leaflet, [Section("pharmacy", None, (typed,))], model.edition)
    assert len(pages(make_braille(typed_only).data)) == 1


def test_nothing_to_emboss_is_refused(source: Callable[[str], Source]) -> None:
    model = source("es")
    with pytest.raises(EditionFailed, match="the braille of diazepam in Spanish was refused: it has no text"):
        make_braille(Source(model.leaflet, [], model.edition))


def test_page_numbers_past_those_translated_with_the_text_are_translated_too() -> None:
    tables = [tables_folder() / DISPLAY_TABLE, table_file("es-g2.ctb")]
    assert [to_brf(n) for n in page_numbers(3, ["\u283c\u2801"], tables, str)] == ["#A", "#B", "#C"]
    assert page_numbers(1, ["\u283c\u2801", "\u283c\u2803"], tables, str) == ["\u283c\u2801"]


@pytest.mark.parametrize("lang", WITH_A_TABLE)
def test_every_language_with_a_table_is_embossed(source: Callable[[str], Source], lang: str) -> None:
    data = make_braille(source(lang)).data
    assert check_brf(data.decode("ascii")) == [] and len(pages(data)) > 1


@pytest.mark.parametrize("lang", WITH_A_TABLE)
def test_the_grade_recorded_is_the_tables(lang: str) -> None:
    """Grade 2 is a contracted table (liblouis's ``#+contraction: full`` or ``#+grade: 2``)."""
    row = coverage(lang)
    text = table_file(row.braille or "").read_text(encoding="utf-8", errors="replace")
    metadata = dict(re.findall(r"^#\+(\w+):\s*(\S+)", text, re.MULTILINE))
    contracted = metadata.get("contraction") == "full" or metadata.get("grade") == "2"
    assert row.grade == (2 if contracted else 1)


def test_braille_ascii_is_liblouis_north_american_table() -> None:
    """The 64 cells of ``BRAILLE_ASCII`` are those of liblouis's ``en-us-brf.dis``."""
    found = {}
    for line in (tables_folder() / "en-us-brf.dis").read_text(encoding="utf-8").splitlines():
        words = line.split()
        if len(words) == 3 and words[0] == "display":
            char = {"\\s": " ", "\\\\": "\\"}.get(words[1], words[1])
            found[sum(1 << (int(dot) - 1) for dot in words[2] if dot != "0")] = char
    assert len(found) == 64
    assert "".join(found[bits] for bits in range(64)) == BRAILLE_ASCII


CELLS_NOT_BLANK = [chr(0x2801 + i) for i in range(6)]


@given(words=st.lists(st.text(CELLS_NOT_BLANK, max_size=90), max_size=30), width=st.integers(10, 40),
       first=st.integers(0, 6), runover=st.integers(0, 6))
def test_wrapping_never_loses_a_cell(words: list[str], width: int, first: int, runover: int) -> None:
    cells = BLANK.join(words)
    lines = wrap(cells, width, first=first, runover=runover)
    assert "".join(lines).replace(BLANK, "") == cells.replace(BLANK, "")
    for i, line in enumerate(lines):
        indent = first if i == 0 else runover
        assert len(line) <= width
        assert line.startswith(BLANK * indent) and line[indent] != BLANK and not line.endswith(BLANK)
    fitting = [word for word in words if word and len(word) <= width - max(first, runover)]
    assert all(any(word in line.split(BLANK) for line in lines) for word in fitting)


def test_a_long_word_is_cut_where_the_line_ends() -> None:
    assert wrap("⠁" * 45 + BLANK + "⠃", 40, runover=2) == ["⠁" * 40, BLANK * 2 + "⠁" * 5 + BLANK + "⠃"]


def test_a_heading_never_ends_a_page() -> None:
    """21 lines, a blank, the heading, a blank and a line of text are 25: the heading moves on,
    without its blank line before (never at the top of a page). With 20 lines it stays."""
    text, heading = Piece("x", PARAGRAPH), Piece("h", CENTERED)
    assert paginate([(text, ["⠁"] * 21), (heading, ["⠓"]), (text, ["⠃"])]) == [["⠁"] * 21, ["⠓", "", "⠃"]]
    assert paginate([(text, ["⠁"] * 20), (heading, ["⠓"]), (text, ["⠃"])]) == [["⠁"] * 20 + ["", "⠓", "", "⠃"]]


def test_blank_lines_are_never_doubled() -> None:
    label, heading = Piece("l", CELL_5), Piece("h", CENTERED)
    assert paginate([(heading, ["⠓"]), (label, ["⠇"]), (Piece("x", PARAGRAPH), ["⠁"])]) == [["⠓", "", "⠇", "⠁"]]
