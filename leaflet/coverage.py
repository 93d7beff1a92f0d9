"""Which language has which edition: ``coverage.toml``, read once.

HTML and ePI are made in every language; audio needs an espeak-ng voice of the
language itself and braille a liblouis table of it. A missing one is never made
up from a neighbour: the edition is unavailable, and this says why.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from leaflet.errors import UsageError

COVERAGE_FILE = Path(__file__).with_name("coverage.toml")


@dataclass(frozen=True)
class Coverage:
    lang: str
    voice: str | None = None
    braille: str | None = None
    grade: int | None = None
    no_voice: str = ""
    no_braille: str = ""

    def unavailable(self, medium: str) -> str:
        """Why ``medium`` cannot be made in this language ("" when it can)."""
        if medium == "audio" and not self.voice:
            return self.no_voice or "no espeak-ng voice for this language"
        if medium == "braille" and not self.braille:
            return self.no_braille or "no liblouis table for this language"
        return ""


@functools.cache
def coverage_table() -> dict[str, Coverage]:
    with COVERAGE_FILE.open("rb") as f:
        rows = tomllib.load(f)
    return {lang: Coverage(lang, **row) for lang, row in rows.items()}


def coverage(lang: str) -> Coverage:
    return coverage_table().get(lang) or Coverage(lang, no_voice="not in leaflet/coverage.toml",
                                                  no_braille="not in leaflet/coverage.toml")


def require_available(medium: str, lang: str) -> None:
    """Refuse, with the reason, an edition the language does not have."""
    reason = coverage(lang).unavailable(medium)
    if reason:
        raise UsageError(f"no {medium} edition in '{lang}': {reason}",
                         hint="see the editions table in README.md for the languages that have one")
