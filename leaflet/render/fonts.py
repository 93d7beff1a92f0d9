"""Fonts for a language: find them, prove they cover the text, pre-subset them.

Takes a language and the text a leaflet will print, and gives ``@font-face``
rules for small fonts that hold exactly the glyphs needed, or
``MissingGlyphs`` naming each character no font can draw (no tofu, ever).
Pre-subsetting matters for CJK: WeasyPrint would otherwise subset a
60,000-glyph collection on every build. Subsets are cached by font file and
character set, so each is made once.

A script whose letters are smaller than Latin's at one font size (Naskh Arabic)
gets subsets that draw them larger (``size_ratio``), so a leaflet's text reads at
the size its stylesheet says beside the Latin next to it.

Text from outside the catalogs (a patient's name, free directions, the pharmacy's
name and address) may be in any script: what the language's fonts lack is drawn by
the font of the shipped script it belongs to (``fallback_fonts``: an Arabic name on a
Spanish leaflet in Noto Naskh Arabic), listed after the language's own for that
print alone. Only a character no shipped font has is refused.
"""

from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import io
import math
import statistics
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.errors import MissingFont, MissingGlyphs, OutputError, UndrawableTyped
from leaflet.files import write_atomic
from leaflet.languages import LANGUAGES, LATIN, Language

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

WEIGHTS = {"Regular": 400, "Bold": 700}
#: The folder, never created, that names a subset kept in memory (``FontFace.data``).
IN_MEMORY = "in-memory"
#: Always kept so generated text (bullets, list numbers, page numbers) has glyphs.
BASE_CHARACTERS = frozenset(chr(c) for c in range(0x20, 0x7F)) | set("\u00a0\u00ad\u2010\u2011•–—‘’“”…·")


@dataclass(frozen=True)
class FontFile:
    family: str
    style: str
    path: Path
    index: int


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    path: Path
    source: Path  # the installed font the subset was made from
    #: A subset holding characters typed for one patient: made in memory and never cached
    #: (``path`` names no file; the renderer serves these bytes for it).
    data: bytes | None = field(default=None, repr=False, compare=False)


def font_families(lang: Language) -> list[str]:
    """The CSS family names, in fallback order, that the prepared faces use."""
    return [css_family(family) for family in lang.fonts]


def css_family(family: str) -> str:
    """Our own name for a prepared face, so fontconfig never substitutes the installed one."""
    return f"leaflet {family}"


def find_font(family: str, style: str, package: str, cache_dir: Path | None = None) -> FontFile:
    """The file of one face. With a cache folder the answer is kept there while the file it
    names is unchanged: asking fontconfig costs a process each time (``leaflet doctor``
    always asks)."""
    remembered = cache_dir / "fonts" / f"face-{hashlib.sha256(f'{family}|{style}'.encode()).hexdigest()[:16]}" \
        if cache_dir else None
    if remembered is not None:
        with contextlib.suppress(OSError, ValueError):
            path, index, stamp = remembered.read_text(encoding="utf-8").split("\n")[:3]
            if stamp == _stamp(Path(path)):
                return FontFile(family, style, Path(path), int(index))
    font = _ask_fontconfig(family, style, package)
    if remembered is not None:
        with contextlib.suppress(OSError):  # only a speed-up
            write_atomic(remembered, f"{font.path}\n{font.index}\n{_stamp(font.path)}".encode())
    return font


def _stamp(path: Path) -> str:
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}"


@functools.lru_cache(maxsize=128)
def _ask_fontconfig(family: str, style: str, package: str) -> FontFile:
    """fontconfig matches loosely, so its answer is checked."""
    try:
        listing = subprocess.run(
            ["fc-list", "-f", "%{file}|%{index}|%{style}\n", f":family={family}"],
            capture_output=True, text=True, check=False, timeout=30,
        ).stdout
    except FileNotFoundError:
        raise MissingFont("fontconfig's fc-list is not installed",
                          hint="run 'make setup' or apt-get install fontconfig") from None
    for row in sorted(listing.splitlines()):
        path, index, styles = (row.split("|") + ["", ""])[:3]
        if style in [s.strip() for s in styles.split(",")]:
            return FontFile(family, style, Path(path), int(index or 0))
    raise MissingFont(f"font '{family} {style}' is not installed",
                      hint=f"install it with: apt-get install {package}")


@functools.lru_cache(maxsize=64)
def _cmap(font: FontFile, cache_dir: Path | None = None) -> frozenset[int]:
    """The characters a face has; a CJK cmap takes 0.1 s to parse, so it is cached on disk too."""
    cached = cache_dir / "fonts" / f"{font.path.stem}-{font.index}-{_file_key(font)}.cmap" if cache_dir else None
    if cached is not None and cached.exists():
        return frozenset(array.array("I", cached.read_bytes()))
    with _open(font) as tt:
        chars = frozenset(tt.getBestCmap())
    if cached is not None:
        with contextlib.suppress(OSError):  # only a speed-up: a read-only cache still builds
            write_atomic(cached, array.array("I", sorted(chars)).tobytes())
    return chars


def _file_key(font: FontFile) -> str:
    stat = font.path.stat()
    return hashlib.sha256(f"{font.path}|{font.index}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]


def _open(font: FontFile) -> TTFont:  # fontTools is imported late: a no-op build never needs it
    from fontTools.ttLib import TTFont

    if font.path.suffix.lower() == ".ttc":
        return TTFont(font.path, fontNumber=font.index, lazy=True)
    return TTFont(font.path, lazy=True)


def needs_glyph(char: str) -> bool:
    """Controls and format characters (ZWJ, RLM) are not drawn; WeasyPrint does draw
    U+2028 and U+2029, as a box, so they count."""
    return unicodedata.category(char) not in ("Cc", "Cf")


def check_coverage(lang: Language, text: str, *, source: str = "", cache_dir: Path | None = None) -> list[FontFile]:
    """Every drawn character has a glyph in one of the language's regular fonts."""
    fonts = [find_font(family, "Regular", lang.font_package, cache_dir) for family in lang.fonts]
    covered = font_chars(lang, cache_dir)
    missing = sorted({c for c in text if needs_glyph(c) and ord(c) not in covered})
    if missing:
        where = f" in {source}" if source else ""
        raise MissingGlyphs(
            f"no font for language '{lang.code}' ({', '.join(lang.fonts)}) can draw {_listed(missing)}{where}",
            hint=f"remove the characters, or install a font that has them (apt-get install {lang.font_package})",
        )
    return fonts


def _listed(chars: list[str]) -> str:
    shown = ", ".join(f"'{c}' U+{ord(c):04X} {_script_of(c)}" for c in chars[:8])
    return shown + (f" and {len(chars) - 8} more" if len(chars) > 8 else "")


def _script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ")[0].title() if name else "unnamed"


def generated_characters(lang: Language) -> frozenset[str]:
    """What the stylesheet draws besides the text: page, section and list numbers in the
    language's own digits (Persian ۳, Bengali ৩, Myanmar ၃), which are in no catalog."""
    return frozenset(lang.native_digits("0123456789"))


def prepare_fonts(lang: Language, text: str, cache_dir: Path, optional: str = "", typed: str = "",
                  profile: str = "") -> list[FontFace]:
    """Subsets of every face the language uses, each holding only the characters it draws
    (the text and the generated numbers), plus the ``optional`` ones the fonts have
    (``TYPING_REPERTOIRE``): then a name typed at the counter finds the subset already made,
    instead of a new one, named after the characters it needed, being written to the cache
    for each patient. A ``typed`` character beyond them (a Cyrillic name on a Spanish
    leaflet) goes into a subset made in memory for this print only: the cache never holds
    a file named after, or made of, what was typed for a patient. Characters of ``typed`` and
    of the pharmacy's ``profile`` that the language's fonts lack are drawn by another shipped
    script's font (``fallback_fonts``), whose faces come after the language's own."""
    fallbacks = fallback_fonts(lang, typed, cache_dir, profile=profile)
    usual = generated_characters(lang) | _covered(lang, frozenset(optional), cache_dir)
    chars = frozenset(text) | usual
    unusual = frozenset(ord(c) for c in typed if c not in usual and needs_glyph(c))
    if unusual:
        return list(_faces(lang, chars, cache_dir, unusual, fallbacks))
    faces = _prepared(lang, chars, cache_dir, fallbacks)
    if not all(face.path.exists() for face in faces):  # the cache folder was cleaned
        _prepared.cache_clear()
        faces = _prepared(lang, chars, cache_dir, fallbacks)
    return list(faces)


# -- fallback fonts for text typed in another script -------------------------------------

#: Unicode's script codes of characters no one script owns: spaces and punctuation (Common),
#: combining marks (Inherited), and unassigned or private-use code points (Unknown).
_NO_SCRIPT = frozenset({"Zyyy", "Zinh", "Zzzz"})


@dataclass(frozen=True)
class Fallback:
    """A font of another shipped script, for typed characters the language's fonts lack
    (an Arabic name on a Spanish leaflet): its family, its package, the characters it draws."""

    family: str
    package: str
    chars: frozenset[int]


def shipped_fonts() -> tuple[tuple[str, str], ...]:
    """Every family a shipped language draws with, and its package, once, in ``LANGUAGES`` order."""
    found: dict[str, str] = {}
    for lang in LANGUAGES.values():
        for family in lang.fonts:
            found.setdefault(family, lang.font_package)
    return tuple(found.items())


def font_scripts() -> dict[str, frozenset[str]]:
    """The Unicode scripts (ISO 15924: Arab, Hani, Hang...) each shipped family is the first
    font of, read from the letters of its script in ``languages``."""
    from fontTools.unicodedata import script

    found: dict[str, set[str]] = {}
    for lang in LANGUAGES.values():
        if lang.script.letters:
            found.setdefault(lang.fonts[0], set()).add(script(lang.script.letters[0]))
    return {family: frozenset(scripts) for family, scripts in found.items()}


@functools.lru_cache(maxsize=8)
def _shipped(cache_dir: Path) -> tuple[tuple[str, str, frozenset[int]], ...]:
    """Every shipped family, its package and the characters it has. Each is looked up (and what
    the cache keeps of it written) whatever was typed, so the cache holds the same files after
    any patient's leaflet, whichever script their name is in."""
    found = []
    for family, package in shipped_fonts():
        regular = find_font(family, "Regular", package, cache_dir)
        _cmap(find_font(family, "Bold", package, cache_dir), cache_dir)
        _glyph_groups(regular, cache_dir)
        size_ratio(family, package, cache_dir)
        found.append((family, package, _cmap(regular, cache_dir)))
    return tuple(found)


def fallback_fonts(lang: Language, typed: str, cache_dir: Path, *, profile: str = "") -> tuple[Fallback, ...]:
    """The fonts that draw what the language's fonts lack in ``typed`` (a patient's name, free
    directions) and the pharmacy's ``profile`` (its name and address), in ``shipped_fonts``
    order. Each character goes to the first font of its Unicode script (Han to Noto Sans CJK
    SC, Hangul to CJK KR, Arabic to Noto Naskh Arabic); a mark or punctuation that several
    scripts use, to a font already chosen for one of them; any other (Japanese Kana, whose
    script no shipped language has) to the first shipped font that has it. A character none has (an emoji,
    a private-use character) is ``MissingGlyphs``: ``UndrawableTyped`` if it was typed."""
    if typed:
        _shipped(cache_dir)  # whatever was typed: the cache must not tell which script it was
    own = font_chars(lang, cache_dir)
    lacking = {ord(c) for c in typed + profile if needs_glyph(c) and ord(c) not in own}
    if not lacking:
        return ()
    shipped = _shipped(cache_dir)
    scripts = font_scripts()
    chosen: dict[str, set[int]] = {}
    undrawable = []
    for code in sorted(lacking, key=lambda code: (len(_scripts(code)) != 1, code)):  # one script's first
        having = [family for family, _, cmap in shipped if code in cmap]
        own_script = [family for family in having if scripts.get(family, frozenset()) & _scripts(code)]
        order = [*(f for f in chosen if f in own_script), *own_script, *(f for f in chosen if f in having), *having]
        if order:
            chosen.setdefault(order[0], set()).add(code)
        else:
            undrawable.append(chr(code))
    if undrawable:
        fonts = f"no font for language '{lang.code}' ({', '.join(lang.fonts)}) nor of any other shipped language"
        if any(c in typed for c in undrawable):
            raise UndrawableTyped(f"{fonts} can draw {_listed(undrawable)} in what was typed",
                                  hint="type it without them: no installed font has them, a box would print")
        raise MissingGlyphs(f"{fonts} can draw {_listed(undrawable)} in the pharmacy profile",
                            hint="remove them from the profile's name and address")
    return tuple(Fallback(family, package, frozenset(chosen[family]))
                 for family, package, _ in shipped if family in chosen)


def _scripts(code: int) -> frozenset[str]:
    """The scripts a character is written in (Script_Extensions), without Common and Inherited."""
    from fontTools.unicodedata import script_extension

    return frozenset(script_extension(chr(code))) - _NO_SCRIPT


#: Drawn by Latin's font, at Latin's size, where the script's own font is drawn larger than its size:
#: the digits and what stands inside a number or a time ("2.5", "1,000", "22:00"), so that a number
#: is drawn in one font (with Naskh's ":" and "." between them, OCR read "2.5 mg" as "25 mg").
LATIN_DIGITS = frozenset((*range(ord("0"), ord("9") + 1), ord("."), ord(","), ord(":")))

#: What pharmacists type for patients besides the leaflet's own text: Latin letters with
#: the accents of European names (Latin-1 Supplement and Latin Extended-A) and punctuation.
TYPING_REPERTOIRE = "".join(chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x180)))


@functools.lru_cache(maxsize=64)
def _covered(lang: Language, chars: frozenset[str], cache_dir: Path) -> frozenset[str]:
    if not chars:
        return chars
    have = font_chars(lang, cache_dir)
    return frozenset(c for c in chars if ord(c) in have and needs_glyph(c))


def font_chars(lang: Language, cache_dir: Path | None = None) -> frozenset[int]:
    """Every character one of the language's regular fonts has."""
    fonts = [find_font(family, "Regular", lang.font_package, cache_dir) for family in lang.fonts]
    return frozenset().union(*(_cmap(f, cache_dir) for f in fonts))


@functools.lru_cache(maxsize=256)
def _prepared(lang: Language, chars: frozenset[str], cache_dir: Path,
              fallbacks: tuple[Fallback, ...] = ()) -> tuple[FontFace, ...]:
    return _faces(lang, chars, cache_dir, fallbacks=fallbacks)


def _faces(lang: Language, chars: frozenset[str], cache_dir: Path, transient: frozenset[int] = frozenset(),
           fallbacks: tuple[Fallback, ...] = ()) -> tuple[FontFace, ...]:
    """The faces for ``chars``; a subset that holds any of ``transient`` stays in memory.
    The characters of ``fallbacks`` are drawn by theirs, after the language's own faces."""
    foreign = frozenset().union(*(fallback.chars for fallback in fallbacks))
    text = "".join(sorted(c for c in chars if ord(c) not in foreign))
    check_coverage(lang, text, cache_dir=cache_dir)
    remaining = {ord(c) for c in text if needs_glyph(c)}
    base = {ord(c) for c in BASE_CHARACTERS}
    faces: list[FontFace] = []
    for index, family in enumerate(lang.fonts):
        regular = find_font(family, "Regular", lang.font_package, cache_dir)
        later = set().union(*(_cmap(find_font(f, "Regular", lang.font_package, cache_dir), cache_dir)
                              for f in lang.fonts[index + 1:]))
        moved = _sharing_a_glyph(regular, remaining | base, later, cache_dir)
        ratio = min(1.0, size_ratio(family, lang.font_package, cache_dir))
        if ratio < 1.0:  # drawn larger: its Latin digits would stand taller than the Latin beside them
            moved |= LATIN_DIGITS & later
        cmap = _cmap(regular, cache_dir) - moved
        own = remaining & cmap
        remaining = (remaining - own) | (moved & base)  # a bullet the stylesheet draws still needs a face
        if not own:
            continue
        # Spaces and punctuation next to a run in this font are shaped with it too.
        faces += _weights(family, lang.font_package, own | (base & cmap), ratio, cache_dir, transient)
    for fallback in fallbacks:
        regular = find_font(fallback.family, "Regular", fallback.package, cache_dir)
        # Its spaces and punctuation too, never its letters or digits: those are the language's.
        between = {c for c in base if not chr(c).isalnum()} & _cmap(regular, cache_dir)
        drawn = set(fallback.chars) | between
        drawn -= _sharing_a_glyph(regular, drawn, between, cache_dir)
        ratio = min(1.0, size_ratio(fallback.family, fallback.package, cache_dir))
        faces += _weights(fallback.family, fallback.package, drawn, ratio, cache_dir, transient)
    return tuple(faces)


def _weights(family: str, package: str, drawn: set[int], ratio: float, cache_dir: Path,
             transient: frozenset[int]) -> list[FontFace]:
    """A family's regular and bold subsets of ``drawn``; one that holds any of ``transient``
    is made in memory (``FontFace.data``), the others are cached."""
    faces = []
    for style, weight in WEIGHTS.items():
        font = find_font(family, style, package, cache_dir)
        wanted = frozenset(drawn & _cmap(font, cache_dir))
        if wanted & transient:
            unwritten = cache_dir / "fonts" / IN_MEMORY / f"{font.path.stem}-{font.index}.ttf"
            faces.append(FontFace(css_family(family), weight, unwritten, font.path, _subset(font, wanted, ratio)))
        else:
            faces.append(FontFace(css_family(family), weight, _subset_cached(font, wanted, cache_dir, ratio),
                                  font.path))
    return faces


def _sharing_a_glyph(font: FontFile, chars: set[int], elsewhere: set[int], cache_dir: Path) -> set[int]:
    """The characters to draw from a later font: each that shares its glyph here with a lower
    character of ``chars`` (Noto Sans CJK draws "·" and "•" alike), where a later font has it.
    A glyph stands for one character in the PDF's text, so the other would read back wrong."""
    later: set[int] = set()
    for group in _glyph_groups(font, cache_dir):
        members = sorted(group & chars)
        later.update(c for c in members[1:] if c in elsewhere)
    return later


@functools.lru_cache(maxsize=64)
def _glyph_groups(font: FontFile, cache_dir: Path | None = None) -> tuple[frozenset[int], ...]:
    """The characters the font draws with one glyph, in groups; cached on disk like the cmap."""
    cached = cache_dir / "fonts" / f"{font.path.stem}-{font.index}-{_file_key(font)}.shared" if cache_dir else None
    if cached is not None and cached.exists():
        return tuple(frozenset(map(int, line.split())) for line in cached.read_text().splitlines() if line)
    with _open(font) as tt:
        by_glyph: dict[str, set[int]] = {}
        for code, glyph in tt.getBestCmap().items():
            by_glyph.setdefault(glyph, set()).add(code)
    groups = tuple(frozenset(codes) for codes in by_glyph.values() if len(codes) > 1)
    if cached is not None:
        with contextlib.suppress(OSError):
            write_atomic(cached, "".join(" ".join(map(str, sorted(g))) + "\n" for g in groups).encode())
    return groups


def _subset_cached(font: FontFile, chars: frozenset[int], cache_dir: Path, ratio: float = 1.0) -> Path:
    from fontTools import version as fonttools_version

    key = hashlib.sha256(
        f"{_file_key(font)}|{fonttools_version}|{ratio!r}|{','.join(map(str, sorted(chars)))}".encode()
    ).hexdigest()[:24]
    path = cache_dir / "fonts" / f"{font.path.stem}-{font.index}-{key}.ttf"
    if not path.exists():
        try:
            write_atomic(path, _subset(font, chars, ratio))
        except OSError as exc:
            raise OutputError(f"cannot write the font cache: {exc.strerror}", path=path.parent,
                              hint="make the folder writable, or set LEAFLET_CACHE to a folder that is") from None
    return path


def _subset(font: FontFile, chars: frozenset[int], ratio: float = 1.0) -> bytes:
    """The glyphs of ``chars``; with a ``ratio`` under 1 (``size_ratio``), drawn larger by its
    inverse: a smaller unitsPerEm scales every outline, advance, kerning and mark position
    alike, so shaping is unchanged and the PDF's text layer too."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]  # Arabic joining, Indic conjuncts, Nastaliq need them all
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.drop_tables += ["DSIG"]
    with _open(font) as tt:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=chars)
        subsetter.subset(tt)
        if ratio < 1.0:
            tt["head"].unitsPerEm = scaled_units_per_em(tt["head"].unitsPerEm, ratio)
        out = io.BytesIO()
        tt.save(out)
        return out.getvalue()


def scaled_units_per_em(units_per_em: int, ratio: float) -> int:
    """Rounded down, so the letters come out at least as large as Latin's, never a little under."""
    return math.floor(units_per_em * ratio)


# -- optical size -------------------------------------------------------------------

#: The font every script is measured against: Latin's, which draws the Latin next to it.
REFERENCE_FAMILY = LATIN.fonts[0]


def size_ratio(family: str, package: str, cache_dir: Path | None = None) -> float:
    """How large a font's letters are beside Latin's at one font size: the height its script's
    letters reach (``letter_units``) per unit of its em, over the same of a-z in Noto Sans,
    which is Latin's x-height. 1.0 for Noto Sans itself, over 1 where a script is drawn larger
    (Hebrew, Devanagari, CJK); 0.89 for Naskh Arabic, whose letters are short for their em."""
    return letter_height(family, package, cache_dir) / letter_height(REFERENCE_FAMILY, LATIN.font_package, cache_dir)


def letter_height(family: str, package: str, cache_dir: Path | None = None) -> float:
    """The height the script's letters reach over the baseline, per unit of the em."""
    units, units_per_em = letter_units(find_font(family, "Regular", package, cache_dir), cache_dir)
    return units / units_per_em


def script_letters(family: str) -> str:
    """The letters a font is measured with: those of the script it is the first font of."""
    if family == REFERENCE_FAMILY:
        return LATIN.letters
    return next((lang.script.letters for lang in LANGUAGES.values() if lang.fonts[0] == family), "")


@functools.lru_cache(maxsize=64)
def letter_units(font: FontFile, cache_dir: Path | None = None) -> tuple[float, int]:
    """The height most of the script's letters reach, in the font's units (the median of their
    glyphs' tops, dots and all), and its unitsPerEm; cached on disk like the cmap. For Latin
    a-z that is the x-height, which a few ascenders do not move; for a script whose letters
    share one height (Hebrew, Myanmar, the headline of Bengali and Devanagari) it is that
    height. Naskh Arabic's letters share none: its median is where the dotted letters reach,
    between the teeth and bowls (0.34-0.41 em) and the alef (0.67 em). A font no script
    names, or without its letters, measures as Latin."""
    letters = script_letters(font.family)
    measured = hashlib.sha256(f"median|{letters}".encode()).hexdigest()[:8]  # what was measured, and how
    cached = cache_dir / "fonts" / f"{font.path.stem}-{font.index}-{_file_key(font)}-{measured}.height" \
        if cache_dir else None
    if cached is not None:
        with contextlib.suppress(OSError, ValueError):
            stored, em = cached.read_text().split()
            return float(stored), int(em)
    from fontTools.pens.boundsPen import BoundsPen

    with _open(font) as tt:
        cmap, glyphs, units_per_em = tt.getBestCmap(), tt.getGlyphSet(), tt["head"].unitsPerEm
        tops = []
        for char in letters:
            if ord(char) in cmap:
                pen = BoundsPen(glyphs)
                glyphs[cmap[ord(char)]].draw(pen)
                tops.append(pen.bounds[3] if pen.bounds else 0.0)
    if not tops:
        return letter_units(find_font(REFERENCE_FAMILY, "Regular", LATIN.font_package, cache_dir), cache_dir)
    units = float(statistics.median(tops))
    if cached is not None:
        with contextlib.suppress(OSError):
            write_atomic(cached, f"{units!r} {units_per_em}".encode())
    return units, units_per_em


def font_face_css(faces: list[FontFace], url: Callable[[FontFace], str] = lambda face: face.path.as_uri()) -> str:
    """``@font-face`` rules; ``url`` says where each subset is seen from (a file URI by default)."""
    return "\n".join(
        f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
        f'font-style: normal; src: url("{url(face)}"); }}'
        for face in faces
    )
