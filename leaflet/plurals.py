"""Plural-Forms headers that agree with CLDR, as Babel knows it.

Takes a language and gives the ``Plural-Forms`` header a new catalog gets,
forms numbered in CLDR's category order (zero, one, two, few, many, other);
and checks a header someone wrote by the partition of 0..1000 it makes, not
by comparing strings, because real catalogs write one rule in many ways.
"""

from __future__ import annotations

import functools
import gettext
import re
from typing import Callable

from babel import Locale

CHECK_RANGE = range(0, 1001)
_CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")

_ONE_OTHER = "nplurals=2; plural=(n != 1);"
_ZERO_ONE_OTHER = "nplurals=2; plural=(n > 1);"
_NONE = "nplurals=1; plural=0;"
_SLAVIC_FEW = "(n%10>=2 && n%10<=4 && (n%100<12 || n%100>14))"

#: Integer rules in GNU syntax; ``tests/test_plurals.py`` proves each matches CLDR.
_RULES = {
    "zero_one_other": _ZERO_ONE_OTHER,
    "none": _NONE,
    "fil": "nplurals=2; plural=(n%10==4 || n%10==6 || n%10==9);",
    "ro": "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100>0 && n%100<20)) ? 1 : 2);",
    "ru": f"nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : {_SLAVIC_FEW} ? 1 : 2);",
    "pl": f"nplurals=3; plural=(n==1 ? 0 : {_SLAVIC_FEW} ? 1 : 2);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}
_FAMILY = {
    "fr": "zero_one_other", "ht": "zero_one_other", "bn": "zero_one_other", "fa": "zero_one_other",
    "am": "zero_one_other", "zh": "none", "ko": "none", "vi": "none", "my": "none", "ja": "none",
    "fil": "fil", "ro": "ro", "ru": "ru", "uk": "ru", "pl": "pl", "ar": "ar",
}
_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")


def plural_forms(code: str) -> str:
    """The header for a new catalog of this language."""
    language = Locale.parse(code).language
    return _RULES.get(_FAMILY.get(language, ""), _ONE_OTHER)


def parse_plural_forms(header: str) -> tuple[int, Callable[[int], int]]:
    """``nplurals`` and the plural function; ValueError if the header is not valid C."""
    match = _HEADER.match(header or "")
    if not match:
        raise ValueError("expected 'nplurals=N; plural=EXPRESSION;'")
    return int(match.group(1)), gettext.c2py(match.group(2))


@functools.lru_cache(maxsize=64)
def cldr_partition(code: str) -> list[frozenset[int]]:
    """The numbers 0..1000 grouped by CLDR category, in CLDR order."""
    rule = Locale.parse(code).plural_form
    groups: dict[str, set[int]] = {}
    for n in CHECK_RANGE:
        groups.setdefault(rule(n), set()).add(n)
    return [frozenset(groups[tag]) for tag in _CLDR_ORDER if tag in groups]


@functools.lru_cache(maxsize=64)
def header_partition(header: str) -> list[frozenset[int]]:
    nplurals, plural = parse_plural_forms(header)
    groups: dict[int, set[int]] = {}
    for n in CHECK_RANGE:
        form = plural(n)
        if not 0 <= form < nplurals:
            raise ValueError(f"gives form {form} for n={n}, but nplurals={nplurals}")
        groups.setdefault(form, set()).add(n)
    return [frozenset(groups[i]) for i in sorted(groups)]


def matches_cldr(code: str, header: str) -> bool:
    """Same groups of numbers as CLDR; the order of the forms is the translator's business."""
    return set(header_partition(header)) == set(cldr_partition(code))
