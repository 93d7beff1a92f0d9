"""Characters that change what a reader sees without being seen: bidi controls and
invisible format characters.

Shared by the catalog checks (a translation may not carry them) and the source stage
(a pharmacy profile or a patient's name may not either).
"""

from __future__ import annotations

import functools
import unicodedata

# -- what the patient reads: the order, the visibility and the look of digits ----------

#: Bidi controls reorder what the reader sees without changing a digit ("12" shows as "21");
#: the templates isolate numbers and names themselves, so a translation never needs one.
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: ZWNJ and ZWJ are part of Persian, Arabic, Indic and Myanmar spelling, inside a word.
JOINERS = frozenset("\u200c\u200d")
SOFT_HYPHEN = "\u00ad"
#: Letters and symbols that draw nothing: the Hangul fillers and the blank Braille pattern. A
#: translation made of them passed as text and printed an empty bullet.
BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def hides_text(text: str, i: int) -> bool:
    char = text[i]
    if char in BLANK_GLYPHS:
        return True
    if unicodedata.category(char) != "Cf" or char in BIDI_CONTROLS or char == SOFT_HYPHEN:
        return False
    return not (char in JOINERS and _inside_word(text, i))


def _inside_word(text: str, i: int) -> bool:
    def letter(j: int) -> bool:
        return 0 <= j < len(text) and unicodedata.category(text[j])[0] in "LM"
    return letter(i - 1) and letter(i + 1)


@functools.lru_cache(maxsize=1)
def combining_marks() -> str:
    """Every combining mark of the Basic Multilingual Plane, for a regex character class: a
    Bengali vowel sign, a virama or a Yiddish point belongs to its word (``\\w`` takes no marks)."""
    return "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c)).startswith("M"))
