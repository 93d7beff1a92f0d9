"""Numbers written in words: which words of a text name which number.

Takes a language code and a text and gives each number the text writes in
words, with its value and place ("dos" is 2, "двух" 2, "إثنتا عشرة" 12).
The words are CLDR's: its rule-based number formatting (the spell-out rules
ICU uses), read by unicode-rbnf, every cardinal rule set of the language
(genders and cases, so Russian "двух" and Polish "dwóch" are 2 too), for 1 to
100, the hundreds and 1000. No word list is kept by hand except the few
number words that are also everyday words (``NOT_NUMBERS``) and English
"once", "twice", "thrice", which CLDR does not spell.

Covered: the languages CLDR has spell-out rules for, of ours am ar en es fa
fil fr it ko my ne pl ro ru sw vi zh_Hans zh_Hant. Not covered: bn ht ps so
ur yi (CLDR has no spell-out rules for them): there no word is read as a
number, so only digits are compared (``checks.numbers``) and a plural form
for one count may say its count in any words.

How a text is cut into words: runs of letters, marks and digits; a Chinese
character is a word by itself, since Chinese writes no spaces. Burmese and
Korean words are matched whole, between spaces: a Burmese number is also a
syllable of other words (နှစ် "two" and "year", သုံး "three" and "use").
Accents are ignored in Latin script ("isá" is "isa") except in Vietnamese,
where they tell "sáu" (six) from "sau" (after); Arabic vowel marks, alef
forms and the final ta marbuta are ignored, its oblique dual and plural
endings ("اثنين") and the Filipino linker ("dalawang") are read.
Zero is never read: Vietnamese "không" is also "not".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from unicode_rbnf import RbnfEngine
from unicode_rbnf.engine import RbnfError

from leaflet.characters import combining_marks

#: The numbers looked for: everything a dose, a count of days or a frequency is written with.
VALUES = (*range(1, 101), *range(200, 1000, 100), 1000)
#: Source-language words CLDR does not spell (it spells numbers, not how often).
EXTRA_WORDS = {"en": {"once": 1, "twice": 2, "thrice": 3}}
#: Words and phrases that are or contain a number word but say something else, never read as
#: numbers (found in our catalogs or as common as these). Ordinals are not numbers either:
#: their CLDR spellings (Chinese 第二 "second", Vietnamese "thứ ba") are read and passed over.
NOT_NUMBERS: dict[str, frozenset[str]] = {
    "fa": frozenset({"نه"}),  # "no, not"
    "ne": frozenset({"छ"}),  # "is"
    "ro": frozenset({"a doua"}),  # "the second" (a doua zi: the next day); CLDR spells no Romanian ordinal
    "ko": frozenset({"이", "일"}),  # "this"; "day", a unit ({count} 일)
    "vi": frozenset({"năm"}),  # "year"
    # "very", "by all means", "in case", and diazo- of the medicine names (苯二氮䓬 benzodiazepine, 二氮平 diazepam)
    "zh_Hans": frozenset({"十分", "千万", "万一", "二氮"}),
    "zh_Hant": frozenset({"十分", "千萬", "萬一", "二氮"}),
}
#: Scripts written without spaces between words, whose characters are words by themselves.
_HAN = "\u2e80-\u2fff\u3005-\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Latin combining accents; Arabic vowel marks, the dagger alef and the tatweel.
_LATIN_MARKS = re.compile("[\u0300-\u036f]")
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك"})
#: Languages whose accents tell words apart.
_KEEP_ACCENTS = frozenset({"vi"})


@dataclass(frozen=True)
class NumberWord:
    value: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Lexicon:
    """A language's number phrases, each a tuple of normalised words, and their values."""

    lang: str
    #: None for a phrase that is not a number although its words are (Chinese 十分 "very").
    phrases: dict[tuple[str, ...], int | None]
    longest: int


@functools.lru_cache(maxsize=1)
def _word() -> re.Pattern[str]:
    """A Chinese character, or a run of letters, digits and marks (of the BMP) without one."""
    return re.compile(f"[{_HAN}]|(?:(?![{_HAN}])(?:[^\\W_]|[{re.escape(combining_marks())}]))+")


def rbnf_locale(lang: str) -> str | None:
    """The CLDR spell-out rules for a catalog code (``zh_Hans`` reads ``zh``), or None."""
    supported = set(RbnfEngine.get_supported_languages())
    try:
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        return None
    candidates = [lang, f"{locale.language}_{locale.script}" if locale.script else "", locale.language]
    if locale.language == "zh" and locale.script == "Hans":
        candidates.insert(0, "zh")
    return next((c for c in candidates if c in supported), None)


def covers(lang: str) -> bool:
    return lexicon(lang) is not None


@functools.lru_cache(maxsize=64)
def lexicon(lang: str) -> Lexicon | None:
    """Every cardinal spelling of ``VALUES`` in the language; None where CLDR has no rules."""
    code = rbnf_locale(lang)
    if code is None:
        return None
    engine = RbnfEngine.for_language(code)
    phrases: dict[tuple[str, ...], int | None] = {}
    for value in VALUES:
        for name in _rulesets(engine, "spellout-cardinal"):
            for spelled in _forms(lang, _spell(engine, value, name)):
                phrases.setdefault(_words(spelled, lang), value)
    for word, value in EXTRA_WORDS.get(lang, {}).items():
        phrases.setdefault(_words(word, lang), value)
    for value in VALUES:
        for name in _rulesets(engine, "spellout-ordinal"):
            phrases.setdefault(_words(_spell(engine, value, name), lang), None)
    phrases.update({_words(words, lang): None for words in NOT_NUMBERS.get(lang, ())})
    phrases.pop((), None)
    return Lexicon(lang, phrases, max(map(len, phrases)))


def _rulesets(engine: RbnfEngine, kind: str) -> list[str]:
    """The public rule sets of a kind, ``spellout-numbering`` with the cardinals; not the financial
    ones (cheque numerals: Chinese 參 "three" is also "take part in", as in 參考 "reference")."""
    return [name for name, ruleset in engine.rulesets.items()
            if not ruleset.is_private and "financial" not in name
            and (name.startswith(kind) or (kind == "spellout-cardinal" and name == "spellout-numbering"))]


def _spell(engine: RbnfEngine, value: int, ruleset: str) -> str:
    try:
        return "".join(engine.iter_format_number(value, ruleset_name=ruleset)).replace("\xad", "")
    except RbnfError:
        return ""


def _forms(lang: str, spelled: str) -> Iterator[str]:
    """The spelling and the forms grammar makes of it that CLDR does not list."""
    yield spelled
    inflect = _INFLECTIONS.get(lang.split("_")[0])
    if inflect is not None:
        yield from inflect(spelled)


def _arabic_forms(spelled: str) -> Iterator[str]:
    """The oblique case of a dual or plural number (اثنان -> اثنين, عشرون -> عشرين) and the
    indefinite accusative (واحد -> واحدًا, read without its vowel mark)."""
    for ending in ("ان", "ون"):
        if spelled.endswith(ending):
            yield spelled[: -len(ending)] + "ين"
    if " " not in spelled:
        yield spelled + "ا"


def _filipino_forms(spelled: str) -> Iterator[str]:
    """With the linker: dalawa -> dalawang, anim -> anim na (the second word is apart)."""
    plain = _strip_accents(spelled)
    if plain.endswith(("a", "e", "i", "o", "u")):
        yield plain + "ng"
    elif plain.endswith("n"):
        yield plain + "g"


_INFLECTIONS: dict[str, Callable[[str], Iterable[str]]] = {"ar": _arabic_forms, "fil": _filipino_forms}


def _strip_accents(text: str) -> str:
    return unicodedata.normalize("NFC", _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text)))


def normalise(word: str, lang: str) -> str:
    """A word as it is compared: case, accents and Arabic spelling variants ignored."""
    word = word.casefold()
    if lang.split("_")[0] not in _KEEP_ACCENTS:
        word = _strip_accents(word)
    if _ARABIC_SCRIPT.search(word):  # a regex, not a loop: the glossary normalises a whole translation
        word = _ARABIC_MARKS.sub("", word).translate(_ARABIC_LETTERS)
        word = word[:-1] if word.endswith("ة") and len(word) > 2 else word
    return word


def _words(text: str, lang: str) -> tuple[str, ...]:
    return tuple(normalise(m.group(), lang) for m in _word().finditer(text))


def number_words(text: str, lang: str) -> list[NumberWord]:
    """Each number the text writes in words, the longest phrase first ("twenty-one" is 21, not
    20 and 1; 十分 "very" is no 10). Empty for a language CLDR does not spell."""
    table = lexicon(lang)
    if table is None:
        return []
    tokens = list(_word().finditer(text))
    keys = [normalise(t.group(), lang) for t in tokens]
    found, i = [], 0
    while i < len(tokens):
        length = _phrase_length(table, text, tokens, keys, i)
        value = table.phrases.get(tuple(keys[i:i + length])) if length else None
        if value is not None:
            start, end = tokens[i].start(), tokens[i + length - 1].end()
            found.append(NumberWord(value, text[start:end], start, end))
        i += max(length, 1)
    return found


def _phrase_length(table: Lexicon, text: str, tokens: list[re.Match[str]], keys: list[str], i: int) -> int:
    """How many words from the i-th make the longest phrase of the lexicon, or 0."""
    for length in range(min(table.longest, len(tokens) - i), 0, -1):
        if tuple(keys[i:i + length]) in table.phrases and _one_phrase(text, tokens[i:i + length]):
            return length
    return 0

def _one_phrase(text: str, tokens: list[re.Match[str]]) -> bool:
    """The words of a phrase stand apart only by spaces or a hyphen."""
    gaps = (text[a.end():b.start()] for a, b in zip(tokens, tokens[1:], strict=False))
    return all(not gap.strip(" -\u00a0\u2010\u2011") for gap in gaps)

