"""Checks on translated catalogs: what must stop a build, and what a reviewer should see.

Takes a parsed catalog (and the messages the current English has) and gives
every ``Problem`` found, never only the first, each pointing at a file and
line. Errors block a build: a missing, fuzzy or stale entry, a changed
number (in digits, or in words: ``check_number_words``), a lost placeholder,
unbalanced markup, a changed URL, HTML. Warnings
are for a reviewer: unchanged text, a different sentence count, doubled
words, changed outer whitespace. A safety warning must also keep every
sentence and every negation (``check_negations``). Where the English uses a term of the
language's glossary, the translation uses the glossary's word (``glossary.check_glossary``):
a warning for a draft term, an error for an approved one. Notes say what could not be
checked (the plural rules of a language CLDR does not know).

Translations are untrusted text, so every check runs in time linear in its
length: no pattern here lets the regex engine rescan the same text from each
starting position (tests/test_checks.py times 1 MB of each hostile pattern).
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import polib

from leaflet.catalogs.glossary import Glossary, check_glossary
from leaflet.catalogs.negations import negations
from leaflet.catalogs.numberwords import NumberWord, covers, number_words
from leaflet.catalogs.plurals import (
    PRINTED_COUNTS,
    cldr_knows,
    header_nplurals,
    header_partition,
    matches_cldr,
    parse_plural_forms,
    plural_forms,
    spans,
)
from leaflet.catalogs.pofile import Catalog
from leaflet.characters import BIDI_CONTROLS, combining_marks, hides_text, shows
from leaflet.errors import display_path
from leaflet.languages import LANGUAGES, SOURCE_LANGUAGE, language
from leaflet.source.markup import is_balanced, markup_tokens, strip_markup

ERROR, WARNING, NOTE = "error", "warning", "note"
#: Where a catalog's language comes from: a project catalog's folder, or ``leaflet check --lang``;
#: for other files, what ``gate.file_language`` found ("the Language-Code header", "the path").
FOLDER, OPTION = "the folder", "--lang"
#: Longer translations are a mistake or an attack (the longest English block is about 400 characters).
MAX_TRANSLATION = 5000
MAX_LISTED = 20
#: The translator comment that marks a safety warning: for it a dropped sentence or negation is an error.
SAFETY_WARNING = "Safety warning:"
#: A translator comment asking to keep a negation ("Keep the negation: this sheet does NOT replace...").
_KEEP_NEGATION = re.compile(r"\bnegations?\b", re.I)


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    severity: str
    check: str
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.severity}: {self.check}: {self.message}"


# -- the pieces of text the checks compare --------------------------------------

#: Digits with single separators between them (``1,000``, ``2.5``, ``1 000``), longest first.
_NUMBER = re.compile(r"\d(?:[.,\u066b\u066c\u00a0\u202f' ]?\d)*")
_SEPARATOR = re.compile(r"[.,\u066b\u066c\u00a0\u202f' ]")
_PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif]|\{[A-Za-z_]\w*\}")
#: A URL does not end in punctuation. Its start is a fixed word, so a run is scanned from one start only.
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"]+[^\s<>\".,;:!?)]|\bwww\.[^\s<>\"]+[^\s<>\".,;:!?)]")
#: The local part of an e-mail address, from its first letter or digit; the look-behind makes a run
#: of ``a.a.a.`` without '@' cost one scan, not one per character. ``emails`` adds the domain.
_EMAIL_LOCAL = re.compile(r"(?<![\w.+-])[.+-]*(\w[\w.+-]*)@")
_EMAIL_DOMAIN = re.compile(r"[\w.-]+")
#: A digit starts no match only when no digit follows it 7 or more places on in its run: at most
#: 7 digits of a run fail, so each run is scanned a bounded number of times.
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")
#: ``data:`` is a URL only before a MIME type (``data:image/png;base64,``): Italian and Portuguese
#: "Data: %(timestamp)s" is "Date:". The type's run holds no ':', so each start scans its own run.
_UNSAFE = re.compile(r"<\s*[A-Za-z/!?]|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);|url\s*\(|javascript:"
                     r"|data:[a-z]+/[\w.+-]+[;,]", re.I)
#: Latin full stops end a sentence before a space; CJK, Indic, Arabic, Ethiopic and Myanmar ones always do.
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[\u3002\uff01\uff1f\u0964\u06d4\u061f\u1362\u104b]")
#: A whole word, whitespace, the same word. Possessive (``{2,}+``, ``++``): the engine never gives back
#: part of a word or of the space between, which could never match anyway.
_NON_LATIN_SCRIPTS = {code for code, lang in LANGUAGES.items() if lang.script.name not in ("Latin", "Cyrillic")}


class _AsciiDigits(dict[int, "int | str"]):
    """A ``str.translate`` table filled on first sight of each character: the whole text
    is then mapped in C, not character by character in Python."""

    def __missing__(self, code: int) -> int | str:
        char = chr(code)
        self[code] = str(unicodedata.decimal(char)) if char.isdecimal() else code
        return self[code]


_ASCII_DIGITS = _AsciiDigits()


def ascii_digits(text: str) -> str:
    """Arabic-Indic, Persian, Bengali, Devanagari, Myanmar ... digits are the same numbers."""
    return text if text.isascii() else text.translate(_ASCII_DIGITS)


def numbers(text: str) -> list[frozenset[Decimal]]:
    """Each number in the text, as the values it can mean (``1,000`` is 1000 or 1.0)."""
    return [_readings(token) for token in _NUMBER.findall(ascii_digits(strip_markup(text)))]


@functools.lru_cache(maxsize=1024)
def _readings(token: str) -> frozenset[Decimal]:
    """Cached: a text repeats its numbers, and a hostile one the same number 500,000 times."""
    parts = _SEPARATOR.split(token)
    separators = _SEPARATOR.findall(token)
    readings = {Decimal("".join(parts))}  # every separator groups thousands
    if separators and separators[-1] in ".,\u066b":
        with contextlib.suppress(InvalidOperation):  # the last separator is a decimal point or comma
            readings.add(Decimal("".join(parts[:-1]) + "." + parts[-1]))
    if separators and len(set(separators)) == 1 and separators[0] in ".," and any(len(p) != 3 for p in parts[1:]):
        readings.discard(Decimal("".join(parts)))
    if " " in separators and len(parts) > 1 and any(len(p) != 3 for p in parts[1:]):
        return frozenset(Decimal(p) for p in parts)  # two numbers side by side
    return frozenset(readings)


def same_numbers(source: str, translation: str) -> bool:
    return _same(numbers(source), numbers(translation))


def _same(wanted: list[frozenset[Decimal]], found: list[frozenset[Decimal]]) -> bool:
    """Each English number takes the first translated number that can mean the same.
    The translated numbers are indexed by value, so that is linear, not one scan per number."""
    if len(wanted) != len(found):
        return False
    waiting: dict[Decimal, deque[int]] = {}
    for index, readings in enumerate(found):
        for value in readings:
            waiting.setdefault(value, deque()).append(index)
    taken: set[int] = set()
    for readings in wanted:
        first = [_first_free(waiting.get(value), taken) for value in readings]
        candidates = [index for index in first if index is not None]
        if not candidates:
            return False
        taken.add(min(candidates))
    return True


def _first_free(queue: deque[int] | None, taken: set[int]) -> int | None:
    while queue and queue[0] in taken:
        queue.popleft()
    return queue[0] if queue else None


def emails(text: str) -> list[str]:
    """What ``\\b[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+\\b`` finds, in linear time: that pattern tried
    every letter of a long ``a.a.a.`` run as a start and scanned the run from each."""
    found, position = [], 0
    for local in _EMAIL_LOCAL.finditer(text):
        at = local.end() - 1
        end = _domain_end(text, at + 1)
        start = max(local.start(1), position)  # a match ends at a word boundary, where the next may start
        if end > 0 and start < at:
            found.append(text[start:end])
            position = end
    return found


def _domain_end(text: str, start: int) -> int:
    """End of the longest ``label(.label)+`` at ``start`` that ends after a letter or digit, or -1."""
    run = _EMAIL_DOMAIN.match(text, start)
    if run is None or run.group().startswith("."):
        return -1
    labels = run.group().split("..", 1)[0].rstrip(".-")  # no empty label; end on a letter or digit
    return start + len(labels) if "." in labels else -1


def _shown(values: Iterable[frozenset[Decimal]]) -> str:
    return ", ".join(sorted(str(min(v)) for v in values)) or "none"


# -- checks on one entry ---------------------------------------------------------

EntryCheck = Callable[[str, str, str], Iterator[tuple[str, str, str]]]


def check_numbers(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    wanted, found = numbers(source), numbers(translation)
    if not _same(wanted, found):
        yield ERROR, "numbers", (f"numbers differ from the English: English has {_shown(wanted)}, "
                                 f"translation has {_shown(found)}")


def check_number_words(source: str, translation: str, lang: str, count: int | None = None,
                       plural: bool = False) -> Iterator[tuple[str, str, str]]:
    """Issue 25: a form printed for 1 that says "dos", "{count} comprimidos dos veces al
    acostarse". A number word may not stand next to the count; in a form printed for one
    count (``count``) it must name that count or a number the English has; elsewhere it must be
    a number the English has, in words or digits. "One" is read only next to the count or in a
    form for another count: elsewhere it is an article ("un comprimido", "isang araw")."""
    if not covers(lang):
        yield from _unreadable_count(source, translation, lang, count)
        return
    said = _english_values(source)
    english = said.copy()
    counts = [m for m in _PLACEHOLDER.finditer(translation) if plural or m.group() == "{count}"]
    for word in number_words(translation, lang):
        beside = next((m.group() for m in counts if _beside(translation, word, m)), None)
        if beside is not None:
            yield ERROR, "number-words", (f"'{word.text}' ({word.value}) next to {beside} prints two numbers "
                                          "for one: keep only the placeholder")
        elif word.value == count or (word.value == 1 and count is None):
            continue
        elif english[word.value] > 0:
            english[word.value] -= 1
        elif count is not None:
            yield ERROR, "number-words", (f"the form printed for {count} says '{word.text}' ({word.value}): "
                                          f"a number in words here must be {count}")
        else:
            yield ERROR, "number-words", (f"'{word.text}' ({word.value}) is a number the English does not have "
                                          f"(English has {_shown_values(said)})")


def _english_values(source: str) -> Counter[int]:
    """The numbers the English says, in words ("twice") or digits."""
    values = Counter(word.value for word in number_words(source, SOURCE_LANGUAGE))
    for readings in numbers(source):
        values.update({int(v) for v in readings if v == v.to_integral_value()})
    return values


def _beside(text: str, word: NumberWord, placeholder: re.Match[str]) -> bool:
    """Nothing but spaces and punctuation between the word and the placeholder."""
    gap = text[word.end:placeholder.start()] if word.end <= placeholder.start() else text[placeholder.end():word.start]
    return not any(c.isalnum() for c in gap)


def _shown_values(values: Counter[int]) -> str:
    return ", ".join(str(v) for v in sorted(values.elements())) or "none"


def _unreadable_count(source: str, translation: str, lang: str, count: int | None) -> Iterator[tuple[str, str, str]]:
    """Where CLDR spells no numbers, a form for one count that says it in words cannot be read."""
    if count is not None and _PLACEHOLDER.search(source) and not _PLACEHOLDER.search(translation):
        yield WARNING, "number-words", (f"the form printed for {count} has no placeholder, and numbers in "
                                        f"'{lang}' words cannot be checked (CLDR spells none): keep the "
                                        f"placeholder, or have a reviewer check that it says {count}")


def check_negations(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    """Issue 25: "No conduzca" made "Conduzca", "Не передавайте" "Передавайте": the opposite
    instruction. The translation has at least as many negations as the English, in all and in
    each sentence (it may have more: "No conduzca, no use máquinas" for "Do not drive, use
    machines"), and a sentence that starts with one in the English starts with one in the
    languages that keep a negative imperative first (``leads``)."""
    english, own = negations(SOURCE_LANGUAGE), negations(lang)
    if english is None or own is None or lang == SOURCE_LANGUAGE:
        return  # not judged: negations.unjudged says why
    wanted, found = english.count(source), own.count(translation)
    if found < wanted:
        yield ERROR, "negations", (f"the English says 'not' {wanted} time(s), the translation {found}: "
                                   "a safety warning must keep every negation")
        return
    english_sentences, sentences = _sentences(source), _sentences(translation)
    if len(english_sentences) != len(sentences):
        return  # check_sentences reports it
    for number, (english_sentence, sentence) in enumerate(zip(english_sentences, sentences, strict=True), 1):
        wanted, found = english.count(english_sentence), own.count(sentence)
        if found < wanted:
            yield ERROR, "negations", (f"sentence {number} says 'not' {wanted} time(s) in the English, {found} "
                                       "in the translation: a safety warning must keep every negation")
        elif own.leads and english.leading(english_sentence) and not own.leading(sentence):
            yield ERROR, "negations", (f"sentence {number} starts with a negation in the English "
                                       f"('{' '.join(english_sentence.split()[:2])}'), not in the translation: "
                                       "a safety warning must keep it")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(strip_markup(text)) if s.strip()]


def check_placeholders(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    """Each placeholder as often as in the English: ``{count}{count}`` prints 1212."""
    wanted, found = Counter(_PLACEHOLDER.findall(source)), Counter(_PLACEHOLDER.findall(translation))
    if wanted != found:
        lost, extra = sorted((wanted - found).elements()), sorted((found - wanted).elements())
        detail = "; ".join(filter(None, [f"missing {', '.join(lost)}" if lost else "",
                                         f"unknown or repeated {', '.join(extra)}" if extra else ""]))
        yield ERROR, "placeholders", f"placeholders differ from the English: {detail}"


def check_markup(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    if not is_balanced(translation):
        yield ERROR, "markup", "unbalanced '*' markup: close every **bold** and *emphasis*"
    elif markup_tokens(source) != markup_tokens(translation):
        yield ERROR, "markup", ("markup differs from the English: "
                                f"English has {' '.join(markup_tokens(source)) or 'none'}, "
                                f"translation has {' '.join(markup_tokens(translation)) or 'none'}")


def check_unsafe(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    found = set(m.group(0).lower() for m in _UNSAFE.finditer(translation))
    allowed = set(m.group(0).lower() for m in _UNSAFE.finditer(source))
    if found - allowed:
        yield ERROR, "unsafe-markup", (f"HTML, entities or URLs are not allowed in translations: "
                                       f"{', '.join(sorted(found - allowed))} (it would print as text)")


def check_control_characters(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    found = sorted({c for c in set(translation) if unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t"}
                   - set(source))
    if found:
        shown = ", ".join(f"U+{ord(c):04X}" for c in found)
        yield ERROR, "control-characters", f"invisible control characters {shown} would print as boxes: delete them"


def check_links(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    for name, find in (("URLs", _URL.findall), ("e-mail addresses", emails), ("phone numbers", _PHONE.findall)):
        wanted = sorted(ascii_digits(m) for m in find(source))
        found = sorted(ascii_digits(m) for m in find(translation))
        if wanted != found:
            yield ERROR, "links", (f"{name} differ from the English: "
                                   f"expected {wanted or 'none'}, found {found or 'none'}")


def check_unchanged(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    """A sentence left in English prints English in the patient's leaflet (issue 25: a Spanish or
    Russian catalog with English msgstrs built silently): refused. A short English term kept as it
    is ("DailyMed", "myasthenia gravis") stays possible, with a warning in other scripts."""
    if translation.strip() != source.strip() or lang == "en":
        return
    if len(re.findall(r"[A-Za-z]{2,}", strip_markup(source))) >= 4:
        yield ERROR, "unchanged", "translation is the English sentence: translate it"
    elif lang in _NON_LATIN_SCRIPTS and re.search(r"[A-Za-z]{3}", source):
        yield WARNING, "unchanged", "translation is identical to the English"


def check_sentences(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    wanted = len(_SENTENCE_END.findall(strip_markup(source)))
    found = len(_SENTENCE_END.findall(strip_markup(translation)))
    if wanted != found:
        yield WARNING, "sentences", (f"English has {wanted} sentence(s), translation has {found}: "
                                     "a dropped or added sentence?")


def check_doubled_words(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    """One warning per doubled word (in any case), unless the English doubles a word too."""
    if doubled_words(source):
        return
    for word in doubled_words(translation):
        yield WARNING, "double-words", f"doubled word '{word}'"


def doubled_words(text: str) -> list[str]:
    """Words of two letters or more said twice in a row, with only spaces between. A word is a run
    of letters, digits and combining marks: a Bengali vowel sign or virama, or a Yiddish point,
    belongs to its word, so "সেবন বন্ধ" is two words, not "বন বন" (``\\w`` takes no marks)."""
    found: dict[str, str] = {}
    previous: re.Match[str] | None = None
    for match in _word_pattern().finditer(text):
        if (previous is not None and len(match.group()) > 1 and text[previous.end():match.start()].isspace()
                and match.group().casefold() == previous.group().casefold()):
            found.setdefault(match.group().casefold(), previous.group())
        previous = match
    return list(found.values())


@functools.lru_cache(maxsize=1)
def _word_pattern() -> re.Pattern[str]:
    """Letters and digits (``[^\\W_]``) or combining marks of the Basic Multilingual Plane."""
    return re.compile("(?:[^\\W_]|[" + re.escape(combining_marks()) + "])+")


def check_whitespace(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    def outer(text: str) -> tuple[str, str]:
        return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]

    if outer(source) != outer(translation):
        yield WARNING, "whitespace", "leading or trailing whitespace differs from the English"
_DIGITS_OR_PLACEHOLDER = re.compile(r"\d+|%\([A-Za-z_]\w*\)[sdif]|%[sdif]|\{[A-Za-z_]\w*\}")


def check_bidi_controls(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    found = sorted({c for c in translation if c in BIDI_CONTROLS})
    if found:
        yield ERROR, "bidi-controls", (f"bidi control characters {_names(found)} can reorder what the patient reads "
                                       "(12 shows as 21): delete them; the leaflet isolates numbers and names itself")


def check_invisible_characters(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    found = sorted({c for i, c in enumerate(translation) if hides_text(translation, i)})
    if found:
        yield ERROR, "invisible-characters", (f"invisible characters {_names(found)} print nothing and can hide "
                                              "or split text: delete them (ZWJ and ZWNJ only inside a word)")


def check_digit_lookalikes(source: str, translation: str, lang: str) -> Iterator[tuple[str, str, str]]:
    """``{count}O`` prints 12O, ``{count}½`` 12½: a patient reads another dose. Digits of another
    script (fullwidth, mathematical) and characters that look like digits may not touch a number;
    the language's own digits (CLDR's default and native: Arabic-Indic in Arabic) are numbers."""
    own = _own_zeros(lang)
    found: set[str] = set()
    for match in _DIGITS_OR_PLACEHOLDER.finditer(translation):
        found |= {c for c in match.group() if c.isdecimal() and ord(c) - unicodedata.decimal(c) not in own}
        for i in (match.start() - 1, match.end()):
            if 0 <= i < len(translation) and looks_like_digit(translation[i], own):
                found.add(translation[i])
    found -= {c for c in source}
    if found:
        yield ERROR, "digit-lookalikes", (f"{_names(sorted(found))} next to a number looks like a digit or is one of "
                                          "another script: the patient could read another dose; write the number "
                                          "with the placeholder and plain digits only")


def looks_like_digit(char: str, own_zeros: frozenset[int] = frozenset({0x30})) -> bool:
    if char.isdecimal():
        return ord(char) - unicodedata.decimal(char) not in own_zeros
    return unicodedata.category(char) in ("No", "Nl") or char in digit_confusables()


@functools.lru_cache(maxsize=1)
def digit_confusables() -> frozenset[str]:
    """Unicode's confusables (UTS #39) for 0-9, one step further through the letters they
    look like (0 -> O -> Cyrillic О, 1 -> l -> I), without any script's real digits."""
    from confusable_homoglyphs.confusables import confusables_data as data

    def alike(char: str) -> set[str]:
        return {item["c"] for item in data.get(char, []) if len(item["c"]) == 1}

    first = set().union(*(alike(d) for d in "0123456789"))
    found = first.union(*(alike(c) for c in first if c.isalpha()))
    return frozenset(c for c in found if not c.isdecimal() and unicodedata.category(c) != "Cf")


def _own_zeros(lang: str) -> frozenset[int]:
    """ASCII digits and the language's own; for a language Babel does not know, ASCII only."""
    try:
        return language(lang).own_digit_zeros | {0x30}
    except Exception:
        return frozenset({0x30})


def _names(chars: Iterable[str]) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed').title()}" for c in chars)


def visible(text: str) -> str:
    """What a patient can see of a translation: its letters, digits, punctuation and symbols
    that put ink on the page (``characters.shows``), without markup. Spaces, default-ignorable
    code points (the Hangul fillers, U+2060, U+180E...) and a blank braille cell are nothing."""
    return "".join(c for c in strip_markup(text) if shows(c))


ENTRY_CHECKS: tuple[EntryCheck, ...] = (
    check_numbers, check_placeholders, check_markup, check_unsafe, check_control_characters, check_links,
    check_bidi_controls, check_invisible_characters, check_digit_lookalikes,
    check_unchanged, check_sentences, check_doubled_words, check_whitespace,
)


# -- checks on a whole catalog ------------------------------------------------------

def check_catalog(catalog: Catalog, lang: str, expected: Iterable[tuple[str | None, str]] = (),
                  source: str = FOLDER, glossary: Glossary | None = None) -> list[Problem]:
    """Every problem in one catalog; ``expected`` are the (msgctxt, msgid) the English has now,
    ``source`` where ``lang`` comes from ("the folder", "--lang", "the path"...), ``glossary``
    the language's terms."""
    problems = list(_header_problems(catalog, lang, source))
    nplurals = header_nplurals(catalog.po.metadata)
    served = _counts_per_form(catalog)
    for entry in catalog.entries():
        line = catalog.line_of(entry)
        problems += [Problem(catalog.path, line, sev, name, msg)
                     for sev, name, msg in _entry_problems(entry, lang, nplurals, served, glossary)]
    present = {(e.msgctxt, e.msgid) for e in catalog.entries()}
    for context, msgid in expected:
        if (context, msgid) not in present:
            problems.append(Problem(catalog.path, catalog.header_line, ERROR, "outdated",
                                    f"the English text of '{context or msgid[:40]}' is not in this catalog: "
                                    f"run 'leaflet update' and translate it"))
    return problems + _copied_entries(catalog) + _unknown_entries(catalog, set(expected))


#: A translation this long that two different English texts share is a copy, not a coincidence.
COPIED_FROM = 20


def _copied_entries(catalog: Catalog) -> list[Problem]:
    """Issue 25: the dependence warning given the insomnia paragraph's text, the "morning"
    direction given the "bedtime" one: the same words twice, and a warning gone. Two entries
    with different English and the same translation (of a sentence's length) are refused."""
    first: dict[str, polib.POEntry] = {}
    problems = []
    for entry in catalog.entries():
        texts = [entry.msgstr] if not entry.msgid_plural else [v for _, v in sorted(entry.msgstr_plural.items())]
        key = "\x00".join(" ".join(text.split()) for text in texts)
        if entry.fuzzy or len(key) < COPIED_FROM:
            continue
        earlier = first.setdefault(key, entry)
        if earlier is not entry and earlier.msgid != entry.msgid:
            problems.append(Problem(catalog.path, catalog.line_of(entry), ERROR, "copied",
                                    f"'{entry.msgctxt or entry.msgid[:40]}' has the same translation as "
                                    f"'{earlier.msgctxt or earlier.msgid[:40]}' (line {catalog.line_of(earlier)}), "
                                    "whose English is different: translate each one"))
    return problems


def _unknown_entries(catalog: Catalog, expected: set[tuple[str | None, str]]) -> list[Problem]:
    """Entries the English does not have print nowhere; many of them are a wrong file or an attack."""
    if not expected:
        return []
    unknown = [e for e in catalog.entries() if (e.msgctxt, e.msgid) not in expected]
    problems = [Problem(catalog.path, catalog.line_of(e), WARNING, "unknown",
                        f"'{e.msgctxt or e.msgid[:40]}' is not in the template: "
                        "run 'leaflet update' to make it obsolete")
                for e in unknown[:MAX_LISTED]]
    if len(unknown) > MAX_LISTED:
        problems.append(Problem(catalog.path, catalog.header_line, WARNING, "unknown",
                                f"and {len(unknown) - MAX_LISTED} more entries that are not in the template"))
    return problems


def _entry_problems(entry: polib.POEntry, lang: str, nplurals: int | None, served: Served | None = None,
                    glossary: Glossary | None = None) -> Iterator[tuple[str, str, str]]:
    name = f"'{entry.msgctxt}'" if entry.msgctxt else f"'{entry.msgid[:40]}'"
    if entry.fuzzy:
        yield ERROR, "fuzzy", f"{name} is marked fuzzy: check it against the English, then remove the fuzzy flag"
        return
    pairs = _pairs(entry, served)
    if entry.msgid_plural and nplurals is not None and len(entry.msgstr_plural) != nplurals:
        yield ERROR, "plural-forms", f"{name} has {len(entry.msgstr_plural)} plural forms, the header says {nplurals}"
    if any(not translation.strip() for _, translation in pairs):
        yield ERROR, "untranslated", f"{name} is not translated"
        return
    if any(len(translation) > MAX_TRANSLATION for _, translation in pairs):
        longest = max(len(translation) for _, translation in pairs)
        yield ERROR, "too-long", f"{name} is {longest:,} characters long; a translation may have {MAX_TRANSLATION:,}"
    if any(not visible(translation) for _, translation in pairs):
        yield ERROR, "invisible", f"{name} has no visible text, only spaces or invisible characters: translate it"
        return
    warning, keep_negations = is_safety_warning(entry), keeps_negations(entry)
    forms: list[int | None] = sorted(entry.msgstr_plural or {0: ""}) if entry.msgid_plural else [None]
    for form, (source, translation) in zip(forms, pairs, strict=True):
        counts = (served or {}).get(form, frozenset()) if form is not None else frozenset()
        count = next(iter(counts)) if len(counts) == 1 else None  # the one count this form is printed for
        for check in ENTRY_CHECKS:
            for severity, check_name, message in check(source, translation, lang):
                if warning and check_name == "sentences":
                    severity, message = ERROR, f"{message} {name} is a safety warning: every sentence must stay"
                if check_name == "placeholders" and len(counts) > 1:
                    message += f" (msgstr[{form}] is printed for {spans(counts)}: it must show the count)"
                yield severity, check_name, message
        yield from check_number_words(source, translation, lang, count, plural=bool(entry.msgid_plural))
        if keep_negations:
            yield from check_negations(source, translation, lang)
        if glossary is not None:
            yield from check_glossary(glossary, source, translation)


def is_safety_warning(entry: polib.POEntry) -> bool:
    """Marked in the content file (or template) by a translator comment starting 'Safety warning:'."""
    return any(line.strip().startswith(SAFETY_WARNING) for line in (entry.comment or "").splitlines())


def keeps_negations(entry: polib.POEntry) -> bool:
    """A safety warning, or an entry whose translator comment asks to keep its negation."""
    return is_safety_warning(entry) or bool(_KEEP_NEGATION.search(entry.comment or ""))


#: The counts 1..999 each plural form is printed for, by form; None when the header cannot be read.
Served = dict[int, frozenset[int]]


def _pairs(entry: polib.POEntry, served: Served | None = None) -> list[tuple[str, str]]:
    """(English, translation) for each form. As ``msgfmt -c`` checks it, a form printed for
    several counts (Russian form 0: 1, 21, 31...) is compared with the English plural, so it
    must have the placeholder. A form printed for one count at most may say it in words
    (Arabic "قرصين" is "two tablets", French form 0 "un comprimé": 0 is never printed):
    then it is compared with the English without its placeholders, the singular for the
    form of count 1. msgfmt relaxes forms used for 2 to 4 counts of 0..1000 too; a
    leaflet may print each of them, so here they need the placeholder."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    forms = entry.msgstr_plural or {0: ""}
    pairs = []
    for i, text in sorted(forms.items()):
        counts = served.get(i, frozenset()) if served is not None else None
        if counts is None:  # no readable Plural-Forms (reported): the English's own two forms
            source = entry.msgid if i == 0 else entry.msgid_plural
        elif len(counts) <= 1 and not _PLACEHOLDER.search(text):
            source = _PLACEHOLDER.sub("", entry.msgid if counts == {1} else entry.msgid_plural)
        else:
            source = entry.msgid_plural
        pairs.append((source, text))
    return pairs


def _counts_per_form(catalog: Catalog) -> Served | None:
    header = catalog.po.metadata.get("Plural-Forms", "")
    try:
        groups = header_partition(header)
        _, plural = parse_plural_forms(header)
    except ValueError:
        return None
    return {plural(min(group)): group & PRINTED_COUNTS for group in groups}


def _header_problems(catalog: Catalog, lang: str, source: str = FOLDER) -> Iterator[Problem]:
    meta, path, line = catalog.po.metadata, catalog.path, catalog.header_line

    def problem(check: str, message: str, severity: str = ERROR) -> Problem:
        return Problem(path, line, severity, check, message)

    if catalog.po.metadata_is_fuzzy:
        yield problem("fuzzy", "the header is marked fuzzy: remove '#, fuzzy' above msgid \"\"")
    declared = meta.get("Language", "").strip()
    if declared.replace("-", "_") == lang:
        pass
    elif source == FOLDER or (declared and source == OPTION):
        fill = " (run 'leaflet update': it fills it in from the folder)" if not declared else ""
        yield problem("header", f"Language is '{declared}' but {source} is '{lang}'{fill}")
    else:  # a file from elsewhere, whose Language header is blank or no code
        yield problem("header", f"no usable Language header: checked as '{lang}', the language {source} names", NOTE)
    if "charset=" not in meta.get("Content-Type", ""):
        yield problem("header", "the header declares no charset, so the file was read as UTF-8: add "
                                "'Content-Type: text/plain; charset=UTF-8'", WARNING)
    yield from _plural_header_problems(catalog, lang, problem)


def _plural_header_problems(catalog: Catalog, lang: str,
                            problem: Callable[..., Problem]) -> Iterator[Problem]:
    """As msgfmt -c, a catalog without plural entries needs no Plural-Forms; one that has a
    header must give the counts the groups CLDR gives them, when CLDR knows the language."""
    header = catalog.po.metadata.get("Plural-Forms", "")
    if not header and not any(e.msgid_plural for e in catalog.entries()):
        return
    if not cldr_knows(lang):
        try:
            header_partition(header)
        except ValueError as exc:
            yield problem("plural-forms", f"Plural-Forms is not valid ({exc})")
        yield problem("plural-forms", f"plural rules could not be checked: CLDR does not know '{lang}'", NOTE)
        return
    try:
        if not matches_cldr(lang, header):
            yield problem("plural-forms", f"Plural-Forms does not match CLDR for '{lang}': use '{plural_forms(lang)}'")
    except ValueError as exc:  # c2py and our parser raise ValueError
        yield problem("plural-forms", f"Plural-Forms is not valid ({exc}): use '{plural_forms(lang)}'")


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]
