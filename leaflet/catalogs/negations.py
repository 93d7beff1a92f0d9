"""Negations counted: how many times a text says "not", in its own language.

Takes a language code and a text and gives the negations in it, from the
per-language words and affixes kept in ``negations.toml`` beside this module
(words, prefixes, suffixes, characters for scripts without spaces, and the
look-alikes to leave out). ``checks.check_negations`` compares the count of a
safety warning with its English: "No conduzca" turned into "Conduzca" prints
the opposite instruction.

Judged: every shipped language but Amharic and Burmese, whose negation is a
verb affix that the same letters also begin other words with (the reason is
kept in the file, ``unjudged``); a language that is not in the file is not
judged either.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from leaflet.characters import combining_marks

NEGATIONS_FILE = Path(__file__).with_name("negations.toml")


@dataclass(frozen=True)
class Negations:
    """How one language says "not" (see ``negations.toml`` for each field)."""

    lang: str
    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    inside: tuple[str, ...] = ()
    ignore: re.Pattern[str] | None = None
    leads: int = 0
    unjudged: str = ""

    def count(self, text: str) -> int:
        text = self._kept(text)
        return sum(1 for word in _words(text) if self.negates(word)) + sum(text.count(s) for s in self.inside)

    def negates(self, word: str) -> bool:
        return (word in self.words or any(word.startswith(p) and len(word) > len(p) for p in self.prefixes)
                or any(word.endswith(s) and len(word) > len(s) for s in self.suffixes))

    def leading(self, sentence: str) -> bool:
        """A negation among the first ``leads`` words of the sentence."""
        return any(self.negates(word) for word in _words(self._kept(sentence))[:self.leads])

    def _kept(self, text: str) -> str:
        text = _fold(text)
        return self.ignore.sub(" ", text) if self.ignore is not None else text


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _words(text: str) -> list[str]:
    return _word().findall(text)


@functools.lru_cache(maxsize=1)
def _word() -> re.Pattern[str]:
    """Letters, digits and marks, with apostrophes inside (n'arrêtez, don't)."""
    return re.compile(f"[^\\W_](?:[^\\W_]|[{re.escape(combining_marks())}'’])*")


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, object]]:
    with NEGATIONS_FILE.open("rb") as file:  # shipped with the package, like system.toml
        return tomllib.load(file)


@functools.lru_cache(maxsize=64)
def negations(lang: str) -> Negations | None:
    """The language's negations, or None when it is not judged (``unjudged``, or not in the file)."""
    entry = _table().get(lang)
    if not isinstance(entry, dict) or entry.get("unjudged"):
        return None

    def strings(key: str) -> list[str]:
        value = entry.get(key, [])
        return [_fold(v) for v in value] if isinstance(value, list) else []

    ignored = sorted(strings("ignore"), key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ignored)) + r")(?!\w)") if ignored else None
    leads = entry.get("leads", 0)
    return Negations(lang, frozenset(strings("words")), tuple(strings("prefixes")), tuple(strings("suffixes")),
                     tuple(strings("inside")), pattern, leads if isinstance(leads, int) else 0)


def unjudged(lang: str) -> str:
    """Why a language's negations are not counted, or "" when they are."""
    entry = _table().get(lang)
    if not isinstance(entry, dict):
        return f"'{lang}' has no negation list in {NEGATIONS_FILE.name}"
    reason = entry.get("unjudged", "")
    return reason if isinstance(reason, str) else ""
