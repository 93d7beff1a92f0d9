"""The braille edition: a localized leaflet -> liblouis -> a BRF file for an embosser.

Takes a ``Source`` (the sections in the print's reading order) and gives a BRF
("braille ready file"): six-dot braille in North American Braille ASCII, 40 cells
a line and 25 lines a page, which embossers and braille displays read as it is.

Translation. The language's liblouis table (``coverage.toml``: grade 2 where
liblouis has one, else grade 1) behind liblouis's ``unicode.dis``, so cells come
back as Unicode braille (U+2800-U+283F), mapped here to Braille ASCII. Everything
goes through one ``lou_translate`` process, one line in and one line out per piece
of text, never through a shell. Refused (``EditionFailed``), with the characters
named: a character the table has no braille for (``Untranslatable``) and a cell
with dots 7 or 8, which a BRF cannot hold.

Format. Braille Formats (BANA 2016), in its simple cases, for every language:

- page: lines 1-24 text; line 25 the braille page number at the right margin, in
  the language's own braille numbers (the same table translates it);
- the title and each section heading centered, with at least three blank cells each
  side and a blank line before and after; a label ("Patient information",
  "Directions") a cell-5 heading, with a blank line before;
- paragraphs in 3-1 (first line from cell 3, runovers from cell 1), list items and
  the warnings in 1-3, a numbered item with its number; a section without a heading
  (the standard box, the review notes) after a blank line;
- lines break at blank cells; a heading never ends a page; a page never starts
  with a blank line.

Simplified: one format for every language (each braille authority has its own,
close to this), no title page (the title is on page 1), no print page numbers, no
running heads, no box lines (the most important information is a list under its
heading), line 25 carries only the page number, no hyphenation (a word longer than
a line is cut where the line ends, losing no cell).

File. Lines end CR LF (BRF comes from DOS-era braille software, and embossers
need the carriage return), with a form feed between pages, after the last line's
CR LF; every page has its 25 lines, so the page number is on the last; no form
feed after the last page, so an embosser feeds no blank sheet. Same leaflet, same
liblouis: same bytes.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from leaflet.coverage import coverage, require_available
from leaflet.editions.made import Made, Source
from leaflet.editions.reading import Block
from leaflet.errors import EditionFailed, MissingSystemLibrary

CELLS = 40
LINES = 25
#: Lines 1-24 carry the text, line 25 the page number.
TEXT_LINES = LINES - 1
#: A centered heading keeps at least three blank cells on each side (Braille Formats 4.4.2).
CENTERED_WIDTH = CELLS - 6

BLANK = "\u2800"
#: North American Braille ASCII: the character of each six-dot cell, indexed by its dots as
#: bits (dot 1 = 1 ... dot 6 = 32), which is also the order of Unicode braille (U+2800 + bits).
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
TO_ASCII = {0x2800 + bits: char for bits, char in enumerate(BRAILLE_ASCII)}
LINE_END = "\r\n"
PAGE_END = "\f"

DISPLAY_TABLE = "unicode.dis"
#: lou_translate reads a line into 2,048 bytes and writes at most 2,048 cells, and cuts
#: both silently: text goes to it in lines of at most this many characters.
LONGEST_INPUT = 200
MOST_CELLS_OUT = 2000
#: The page numbers translated with the text; a longer leaflet gets the rest in a second call.
PAGE_NUMBERS = 99
#: Two unassigned code points, which no table defines: how a table writes them is how it
#: writes any character it has no braille for (``Untranslatable``).
PROBES = ("\u0378", "\u0379")

Digits = Callable[[str], str]


# -- what is embossed -------------------------------------------------------------------

@dataclass(frozen=True)
class Style:
    """Where a block's lines start: blank cells before its first line and before its runovers."""

    first: int = 0
    runover: int = 0
    centered: bool = False
    blank_before: bool = False
    blank_after: bool = False
    #: A heading: kept on one page with the line that follows it.
    heading: bool = False


CENTERED = Style(centered=True, blank_before=True, blank_after=True, heading=True)
CELL_5 = Style(first=4, runover=4, blank_before=True, heading=True)
PARAGRAPH = Style(first=2)
LIST_ITEM = Style(runover=2)
#: Each ``Block.kind`` (and a section's heading) as it is embossed.
STYLES = {"title": CENTERED, "heading": CENTERED, "label": CELL_5, "item": LIST_ITEM, "warning": LIST_ITEM,
          "paragraph": PARAGRAPH, "notice": PARAGRAPH, "typed": PARAGRAPH}


@dataclass(frozen=True)
class Piece:
    """One block of the leaflet as it is embossed: its words and their style."""

    text: str
    style: Style
    starts_section: bool = False

    @property
    def blank_before(self) -> bool:
        return self.style.blank_before or self.starts_section


def pieces(source: Source) -> list[Piece]:
    """Every block in reading order; a section without a heading starts after a blank line."""
    found: list[Piece] = []
    for i, section in enumerate(source.sections):
        blocks = ([section.heading] if section.heading else []) + list(section.blocks)
        for j, block in enumerate(blocks):
            text = " ".join(_block_text(block, source).split())  # a no-break space is a blank cell too
            if text:
                found.append(Piece(text, STYLES.get(block.kind, PARAGRAPH), starts_section=i > 0 and j == 0))
    return found


#: Chinese braille writes the sound of a character, not its shape, so a character a table lacks
#: is written as a common one read the same way: 䓬 (zhuó, "-azepine", in 苯二氮䓬) as 卓,
#: the spelling many Chinese texts use. Only same-sound characters belong here.
SAME_SOUND = {"zh_Hans": str.maketrans({"䓬": "卓"}), "zh_Hant": str.maketrans({"䓬": "卓"})}


def _block_text(block: Block, source: Source) -> str:
    """A numbered item starts with its number, as printed: the table translates it."""
    text = block.plain.translate(SAME_SOUND.get(source.leaflet.lang.code, {}))
    if block.number is None:
        return text
    from leaflet.render.html import number

    return f"{number(block.number, source.leaflet.lang)}. {text}"


# -- the page ---------------------------------------------------------------------------

def wrap(cells: str, width: int = CELLS, *, first: int = 0, runover: int = 0) -> list[str]:
    """Lines of at most ``width`` cells, broken at blank cells, the first after ``first``
    blank cells and the others after ``runover``. A word longer than a line is cut where
    the line ends: no cell is lost, only blank cells at a break."""
    if max(first, runover) >= width:
        raise ValueError(f"no room for a cell in a line of {width} after {max(first, runover)} blank cells")
    lines: list[str] = []
    line, indent = "", first
    for word in cells.split(BLANK):
        joined = f"{line}{BLANK}{word}" if line else word
        if len(joined) <= width - indent:
            line = joined
            continue
        if line:
            lines.append(BLANK * indent + line.rstrip(BLANK))
            indent = runover
        while len(word) > width - indent:
            lines.append(BLANK * indent + word[:width - indent])
            word, indent = word[width - indent:], runover
        line = word
    if line.rstrip(BLANK):
        lines.append(BLANK * indent + line.rstrip(BLANK))
    return lines


def lay_out(piece: Piece, cells: str) -> list[str]:
    """A piece's lines: centered, or from its first and runover cells."""
    if piece.style.centered:
        return [BLANK * ((CELLS - len(line)) // 2) + line for line in wrap(cells, CENTERED_WIDTH)]
    return wrap(cells, first=piece.style.first, runover=piece.style.runover)


def paginate(laid: Iterable[tuple[Piece, list[str]]]) -> list[list[str]]:
    """The text lines of each page. A blank line is never doubled, never at the top or the foot
    of a page, and a heading goes to the next page unless the line after it fits below it."""
    pages: list[list[str]] = [[]]
    blank = False
    for piece, lines in laid:
        blank = blank or piece.blank_before
        # what must fit below: a heading with its blank line and the line after it, else one line
        wanted = blank + (len(lines) + piece.style.blank_after + 1 if piece.style.heading else 1)
        if pages[-1] and len(pages[-1]) + wanted > TEXT_LINES:
            pages.append([])
        elif pages[-1] and blank:
            pages[-1].append("")
        for line in lines:
            if len(pages[-1]) == TEXT_LINES:
                pages.append([])
            pages[-1].append(line)
        blank = piece.style.blank_after
    return pages


def page_lines(text: list[str], number: str) -> list[str]:
    """A page's 25 lines: its text, blank lines, and the page number at the right of the last."""
    return text + [""] * (TEXT_LINES - len(text)) + [BLANK * (CELLS - len(number)) + number]


def brf_text(pages: Iterable[list[str]]) -> str:
    """Pages of Unicode braille in Braille ASCII: CR LF after each line, FF between pages."""
    text = PAGE_END.join("".join(line.rstrip(BLANK) + LINE_END for line in page) for page in pages)
    return text.translate(TO_ASCII)


def check_brf(text: str) -> list[str]:
    """What an embosser would not emboss as laid out: every problem, none when the file is right."""
    problems = [] if text.strip(" \r\n\f") else ["there is no braille"]
    for number, page in enumerate(text.split(PAGE_END), 1):
        lines = page.split(LINE_END)
        if lines[-1]:
            problems.append(f"page {number} does not end with CR LF")
        if len(lines) - 1 > LINES:
            problems.append(f"page {number} has {len(lines) - 1} lines, more than {LINES}")
        for i, line in enumerate(lines[:-1], 1):
            if len(line) > CELLS:
                problems.append(f"page {number} line {i} has {len(line)} cells, more than {CELLS}")
            wrong = sorted({f"U+{ord(c):04X}" for c in line if not " " <= c <= "_"})
            if wrong:
                problems.append(f"page {number} line {i} has characters that are not Braille ASCII: "
                                + ", ".join(wrong))
    return problems


# -- liblouis ---------------------------------------------------------------------------

@functools.cache
def tables_folder() -> Path:
    """liblouis's tables, beside the ``lou_translate`` on the PATH (``/usr/share/liblouis/tables``)."""
    found = shutil.which("lou_translate")
    if found is None:
        raise MissingSystemLibrary("the braille edition needs liblouis's lou_translate, which is not installed",
                                   hint="install with: apt-get install -y --no-install-recommends liblouis-bin; "
                                        "'leaflet doctor' checks everything")
    return Path(os.path.realpath(found)).parent.parent / "share" / "liblouis" / "tables"


def table_file(name: str) -> Path:
    path = tables_folder() / name
    if not path.is_file():
        raise MissingSystemLibrary(f"liblouis has no table {name} in {path.parent}",
                                   hint="install the liblouis-data that leaflet/coverage.toml names")
    return path


def table_files(table: Path) -> list[Path]:
    """The table and every table it includes (each found beside the table that includes it),
    so a build is redone when liblouis's tables change."""
    found: list[Path] = []
    waiting = [table]
    while waiting:
        path = waiting.pop(0)
        if path in found or not path.is_file():
            continue
        found.append(path)
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] == "include":
                waiting.append(path.parent / words[1])
    return found


@functools.cache
def liblouis_version() -> str:
    tables_folder()
    out = _run(["lou_translate", "--version"], "").stdout.decode("utf-8", "replace")
    found = re.search(r"\d+(?:\.\d+)+", out)
    return found.group(0) if found else "unknown"


def translate(lines: Sequence[str], tables: Sequence[Path], *, backward: bool = False) -> list[str]:
    """One lou_translate process, the text on stdin: a line out for each line in. Its input
    parser reads backslash escapes (``\\x4e2d``, ``\\s``), so each backslash goes in doubled;
    it stops at a line it cannot translate, so the lines out are counted."""
    args = ["lou_translate", "--backward" if backward else "--forward", ",".join(str(t) for t in tables)]
    done = _run(args, "".join(line.replace("\\", "\\\\") + "\n" for line in lines))
    out = done.stdout.decode("utf-8").split("\n")
    if len(out) != len(lines) + 1 or out[-1]:
        errors = [line for line in done.stderr.decode("utf-8", "replace").splitlines() if "warning" not in line]
        raise EditionFailed(f"lou_translate gave {len(out) - 1} line(s) for {len(lines)}"
                            + (f": {errors[-1]}" if errors else ""))
    if any(len(line) >= MOST_CELLS_OUT for line in out):
        raise EditionFailed(f"lou_translate wrote a line of {MOST_CELLS_OUT} cells or more: it may have been cut")
    return out[:-1]


def _run(args: list[str], text: str) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(args, input=text.encode("utf-8"), capture_output=True, timeout=120, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EditionFailed(f"{args[0]} failed: {message[-1] if message else f'exit status {done.returncode}'}")
    return done


@dataclass(frozen=True)
class Untranslatable:
    """How a table writes a character it has no braille for, learnt from the two ``PROBES``.

    liblouis 3.24 writes such a character as its escape, ``'\\x0378'`` (``\\y`` and five
    hex digits above U+FFFF, ``\\z`` and eight above U+FFFFF), spelt in the table's own
    cells, so the same escape looks different in each table. Where the table has no
    one-cell backslash, the backslash is dots 1256 and 7, which the 8-dot check refuses
    anyway; but ``it.tbl`` and ``pl.tbl`` have one, and there the escape is six-dot cells
    that would be embossed as if they were words. A table that names the dots for such
    characters (``undefined``) writes those instead: fr-bfu-g2 a blank cell, invisible in
    the text, so there each character is judged by its translation alone."""

    #: The table's cells for the escape's quote, backslash and ``x`` ("" where it has ``fixed``).
    quote: str = ""
    backslash: str = ""
    x: str = ""
    #: The dots of a table that names them for what it cannot write.
    fixed: str | None = None

    @classmethod
    def learn(cls, first: str, second: str) -> Untranslatable:
        """The probes' escapes differ in one cell, their last hex digit, six cells after the quote."""
        if first == second and len(first) <= 2:
            return cls(fixed=first)
        at = next((i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b), -1)
        start = at - 6
        if start < 0 or len(first) < at + 2 or first[at + 1] != first[start]:
            raise EditionFailed("cannot tell how liblouis writes a character its table has no braille for: "
                                f"it wrote U+0378 as {first} and U+0379 as {second}")
        return cls(first[start], first[start + 1], first[start + 2])

    def pattern(self, *, wide: bool) -> str:
        """The escape of a character up to U+FFFF (``x`` and four cells); with ``wide``, of any."""
        if not self.quote:
            return "(?!)"
        quote, backslash = re.escape(self.quote), re.escape(self.backslash)
        middle = r".(?:.{4}|.{5}|.{8})" if wide else rf"{re.escape(self.x)}.{{4}}"
        return f"{quote}{backslash}{middle}{quote}"

    def found_in(self, cells: str, *, wide: bool = False) -> bool:
        """An escape in a translation (``wide``: of a text with characters above U+FFFF)."""
        return re.search(self.pattern(wide=wide), cells) is not None

    def without(self, cells: str) -> str:
        """The translation without its escapes (their backslash may be a cell of eight dots)."""
        return re.sub(self.pattern(wide=True), "", cells)

    def alone(self, char: str, cells: str) -> bool:
        """A character's own translation: its escape, or the table's dots for what it cannot write."""
        return self.found_in(cells, wide=ord(char) > 0xFFFF) or cells == self.fixed


def eight_dot(cells: str) -> bool:
    """A cell with dots 7 or 8 (U+2840 and up), or anything that is not a six-dot cell."""
    return any(ord(c) not in TO_ASCII for c in cells)


# -- the edition ------------------------------------------------------------------------

@dataclass(frozen=True)
class Translated:
    """What the one lou_translate call gave: each piece's cells, each character's cells
    alone, how the table writes what it cannot, and the first page numbers."""

    cells: list[str]
    alone: dict[str, str]
    untranslatable: Untranslatable
    numbers: list[str]


def make_braille(source: Source) -> Made:
    """The leaflet as a BRF, checked; the table is named in the build log."""
    lang = source.leaflet.lang
    require_available("braille", lang.code)
    found = coverage(lang.code)
    table = table_file(found.braille or "")
    tables = [tables_folder() / DISPLAY_TABLE, table]
    laid_out = pieces(source)
    translated = translate_pieces(laid_out, tables, lang.native_digits)
    check_translation(source, table.name, laid_out, translated)
    pages = paginate((piece, lay_out(piece, cells)) for piece, cells in zip(laid_out, translated.cells, strict=True))
    numbers = page_numbers(len(pages), translated.numbers, tables, lang.native_digits)
    text = brf_text(page_lines(lines, number) for lines, number in zip(pages, numbers, strict=True))
    refuse(source, check_brf(text))
    return Made(text.encode("ascii"), inputs=(tables[0], *table_files(table)),
                notes=(f"table {table.name}, grade {found.grade}, liblouis {liblouis_version()}",))


def refuse(source: Source, problems: list[str], hint: str | None = None) -> None:
    """Every problem in one ``EditionFailed`` (the first five of them), or nothing."""
    if problems:
        leaflet = source.leaflet
        more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise EditionFailed(f"the braille of {leaflet.id} in {leaflet.lang.english_name} was refused: "
                            + "; ".join(problems[:5]) + more, hint=hint)


def translate_pieces(laid_out: list[Piece], tables: list[Path], digits: Digits) -> Translated:
    """Everything in one lou_translate call: the probes, each character alone, the first page
    numbers, and the text, a long piece in parts (``split_input``)."""
    parts = [split_input(piece.text) for piece in laid_out]
    chars = sorted({c for piece in laid_out for c in piece.text if c != " "})
    numbers = [digits(str(n)) for n in range(1, PAGE_NUMBERS + 1)]
    out = iter(translate([*PROBES, *chars, *numbers, *(text for part in parts for text, _ in part)], tables))
    untranslatable = Untranslatable.learn(next(out), next(out))
    alone = {char: next(out) for char in chars}
    translated_numbers = [next(out) for _ in numbers]
    cells = ["".join(next(out) + glue for _, glue in part) for part in parts]
    return Translated(cells, alone, untranslatable, translated_numbers)


def split_input(text: str) -> list[tuple[str, str]]:
    """``text`` in lines lou_translate takes whole, each with what joins its cells to the
    next: a blank cell where it was cut at a space, nothing where it was cut after
    punctuation (Chinese has no spaces) or, failing both, inside a word."""
    parts: list[tuple[str, str]] = []
    while len(text) > LONGEST_INPUT:
        head = text[:LONGEST_INPUT + 1]
        cut = head.rfind(" ")
        if cut > 0:
            parts.append((text[:cut], BLANK))
            text = text[cut + 1:]
            continue
        after = [i + 1 for i, c in enumerate(head[:-1]) if unicodedata.category(c).startswith("P")]
        cut = after[-1] if after else LONGEST_INPUT
        parts.append((text[:cut], ""))
        text = text[cut:]
    parts.append((text, ""))
    return parts


def page_numbers(count: int, translated: list[str], tables: list[Path], digits: Digits) -> list[str]:
    """The braille of page numbers 1 to ``count``: those translated with the text, and for a
    leaflet of more pages the rest in a second call."""
    if count <= len(translated):
        return translated[:count]
    return translated + translate([digits(str(n)) for n in range(len(translated) + 1, count + 1)], tables)


def check_translation(source: Source, table: str, laid_out: list[Piece], translated: Translated) -> None:
    """Refuse text the table has no braille for, and cells a BRF cannot hold: every character at once."""
    escapes = translated.untranslatable
    missing: dict[str, str] = {}
    eight: dict[str, str] = {}
    for piece, cells in zip(laid_out, translated.cells, strict=True):
        chars = [c for c in dict.fromkeys(piece.text) if c != " "]
        escaped = escapes.found_in(cells, wide=any(ord(c) > 0xFFFF for c in chars))
        if escaped or escapes.fixed is not None:
            named = [c for c in chars if escapes.alone(c, translated.alone[c])]
            for c in named or ([piece.text[:24]] if escaped else []):
                missing.setdefault(c, piece.text)
        if eight_dot(escapes.without(cells)):
            for c in [c for c in chars if eight_dot(escapes.without(translated.alone[c]))] or [piece.text[:24]]:
                eight.setdefault(c, piece.text)
    problems = [] if laid_out else ["it has no text"]
    if missing:
        problems.append(f"liblouis's {table} has no braille for {_named(missing)}")
    if eight:
        problems.append(f"{table} writes {_named(eight)} with dots 7 or 8, which a BRF (six dots) cannot hold")
    if any(eight_dot(cells) or escapes.alone("0", cells) for cells in translated.numbers):
        problems.append(f"{table} cannot write the page numbers in six dots")
    refuse(source, problems, hint="this table cannot write this text; see the editions table in README.md")


def _named(found: dict[str, str]) -> str:
    """``'-' (U+002D HYPHEN-MINUS, in "lasse C-IV negli")`` for each character (or the text
    where no one character could be blamed)."""
    shown = []
    for char, text in list(found.items())[:8]:
        if len(char) != 1:
            shown.append(f'something in "{char}…"')
            continue
        at = text.find(char)
        shown.append(f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}, "
                     f"in \"{text[max(0, at - 10):at + 10]}\")")
    more = len(found) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
