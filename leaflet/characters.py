"""Characters that change what a reader sees without being seen: bidi controls and
invisible format characters, and text that draws nothing at all.

Shared by the catalog checks (a translation may not carry them) and the source stage
(a pharmacy profile or a patient's name may not either).

What draws nothing is read from Unicode's own properties, through ``regex`` (Python's
``unicodedata`` has neither White_Space nor Default_Ignorable_Code_Point), never from a
list typed here: a new Unicode version's fillers and format characters are caught as
soon as ``regex`` knows them.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata

import regex

# -- what the patient reads: the order, the visibility and the look of digits ----------

#: Bidi controls reorder what the reader sees without changing a digit ("12" shows as "21");
#: the templates isolate numbers and names themselves, so a translation never needs one.
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: ZWNJ and ZWJ are part of Persian, Arabic, Indic and Myanmar spelling, inside a word.
JOINERS = frozenset("\u200c\u200d")
SOFT_HYPHEN = "\u00ad"
#: Unicode's spaces (White_Space) and the code points a renderer shows nothing for unless it
#: supports them (Default_Ignorable_Code_Point: format characters, variation selectors, the
#: Hangul fillers U+115F, U+1160, U+3164, U+FFA0, the Mongolian vowel separator, tags...).
_SPACE_OR_IGNORABLE = regex.compile(r"[\p{White_Space}\p{Default_Ignorable_Code_Point}]")
_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}")
_VARIATION_SELECTOR = regex.compile(r"\p{Variation_Selector}")


def ignorable(char: str) -> bool:
    """Default_Ignorable_Code_Point: drawn as nothing (Unicode's DerivedCoreProperties)."""
    return _IGNORABLE.match(char) is not None


def draws_nothing(char: str) -> bool:
    """A space, a default-ignorable code point, or a blank braille cell."""
    return _SPACE_OR_IGNORABLE.match(char) is not None or blank_braille(char)


def blank_braille(char: str) -> bool:
    """A braille cell with no raised dot. Unicode encodes each pattern of the Braille Patterns
    block by its dots, in its code point (one bit per dot) and in its name (U+2801 BRAILLE
    PATTERN DOTS-1, U+28FF ...DOTS-12345678); the pattern whose name lists no dot, U+2800
    BRAILLE PATTERN BLANK, has no ink: on paper it is braille's space, in print an empty cell.
    It is category So and not default-ignorable, so no other property says so (issue 25:
    a Korean msgstr of it printed an empty bullet)."""
    name = unicodedata.name(char, "")
    return name.startswith("BRAILLE PATTERN ") and "DOTS-" not in name


def shows(char: str) -> bool:
    """A letter, digit, punctuation mark or symbol that puts ink on the page. A combining
    mark alone has no letter to sit on; controls, private-use and unassigned code points
    (category C) print as nothing or as a box."""
    return unicodedata.category(char)[0] in "LNPS" and not draws_nothing(char)


def hides_text(text: str, i: int) -> bool:
    """An invisible character inside text: a default-ignorable code point or a format character
    (category Cf), or a blank braille cell. Not one of the bidi controls (a check of their own),
    a soft hyphen (a hyphenation point), ZWJ or ZWNJ inside a word (spelling), or a variation
    selector after a visible character (it picks that character's glyph: "⚠️", a CJK variant)."""
    char = text[i]
    if char in BIDI_CONTROLS or char == SOFT_HYPHEN:
        return False
    if blank_braille(char):
        return True
    if not (unicodedata.category(char) == "Cf" or ignorable(char)):
        return False
    if char in JOINERS:
        return not _inside_word(text, i)
    if _VARIATION_SELECTOR.match(char):
        return not (i > 0 and shows(text[i - 1]))
    return True


def _inside_word(text: str, i: int) -> bool:
    def letter(j: int) -> bool:
        return 0 <= j < len(text) and unicodedata.category(text[j])[0] in "LM"
    return letter(i - 1) and letter(i + 1)


#: The most combining marks one letter carries in the scripts we print: a Myanmar syllable
#: stacks medials, a vowel sign and a tone mark (five in our catalogs), a Vietnamese or a
#: pointed Hebrew letter two to four. More is not spelling: stacked, they print as a smear.
MAX_MARKS = 8


def stacked_marks(text: str) -> str:
    """What is wrong with the combining marks of typed text, or "": more than ``MAX_MARKS`` on
    one letter, or one mark twice in a row (its second copy is lost in the PDF's text)."""
    for is_mark, group in itertools.groupby(text, lambda char: unicodedata.category(char).startswith("M")):
        marks = list(group) if is_mark else []
        if len(marks) > MAX_MARKS:
            return f"a letter carries {len(marks)} combining marks (at most {MAX_MARKS})"
        doubled = next((a for a, b in itertools.pairwise(marks) if a == b), None)
        if doubled:
            return f"a letter carries the mark U+{ord(doubled):04X} twice"
    return ""


@functools.lru_cache(maxsize=1)
def combining_marks() -> str:
    """Every combining mark of the Basic Multilingual Plane, for a regex character class: a
    Bengali vowel sign, a virama or a Yiddish point belongs to its word (``\\w`` takes no marks)."""
    return "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c)).startswith("M"))
