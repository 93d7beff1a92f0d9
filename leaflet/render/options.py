"""What one edition of a leaflet is: paper, large print, bilingual, draft, and what the
pharmacy types for one patient.

``BuildOptions`` is the one place each option's default lives, shared by the CLI, the
counter and the Python API; ``validated`` refuses what no leaflet should print (control
characters, implausible dates, unknown paper) with the option's name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup

from leaflet.characters import BIDI_CONTROLS, hides_text, stacked_marks
from leaflet.errors import (
    UsageError,
)
from leaflet.source.directions import parse_schedule

#: Dispensing dates before this are typing mistakes (0001-01-01), as are those over a year ahead.
EARLIEST_DATE = dt.date(2000, 1, 1)


#: The count of a --directions code given without one.
DEFAULT_COUNT = 1

#: The papers a leaflet prints on: option value -> CSS @page size.
PAPER_SIZES = {"a4": "A4", "letter": "letter"}


@dataclass(frozen=True)
class BuildOptions:
    """Every build option and its default, shared by the CLI and the Python API."""

    paper: str | None = None  # None: the pharmacy profile's paper, else A4
    draft: bool = False
    large_print: bool = False
    bilingual: bool = False
    pharmacy: Path | None = None
    patient: str | None = None
    directions: str | None = None
    count: int = DEFAULT_COUNT  # of a --directions code without its own ("bedtime"; "bedtime=2" has one)
    free_directions: str | None = None
    date: dt.date | None = None  # the dispensing date; today when None
    medium: str = "print"  # print, or an edition read from the same model: audio, braille, html, epi

    def validated(self) -> BuildOptions:
        if self.paper is not None and self.paper not in PAPER_SIZES:
            raise UsageError(f"unknown paper size '{self.paper}'", hint="use one of: " + ", ".join(PAPER_SIZES))
        if not 1 <= self.count <= 999:
            raise UsageError(f"--count must be between 1 and 999, not {self.count}")
        for name in ("patient", "free_directions"):
            value = getattr(self, name)
            option = f"--{name.replace('_', '-')}"
            if value is not None and (not value.strip() or len(value) > MAX_PERSONAL_TEXT):
                raise UsageError(f"{option} must be 1 to {MAX_PERSONAL_TEXT} characters")
            if value is not None and any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") for c in value):
                raise UsageError(f"{option} contains control characters or broken Unicode",
                                 hint="type the text again, without pasting invisible characters")
            if value is not None and any(hides_text(value, i) or c in BIDI_CONTROLS for i, c in enumerate(value)):
                raise UsageError(f"{option} contains invisible or direction-changing characters (U+202E and the like)",
                                 hint="type the text again: the leaflet prints it exactly as typed")
            if value is not None and (marks := stacked_marks(value)):
                raise UsageError(f"{option} is not text a leaflet can print: {marks}",
                                 hint="type it again, each letter with its own accents, once")
        if self.medium not in MEDIA:
            raise UsageError(f"unknown edition '{self.medium}'", hint="use one of: " + ", ".join(EDITIONS))
        if self.medium != "print" and (self.large_print or self.bilingual or self.draft):
            chosen = "--large-print" if self.large_print else "--bilingual" if self.bilingual else "--draft"
            raise UsageError(f"{chosen} is a printed edition; the {self.medium} edition has none",
                             hint=f"leave out {chosen}, or --edition")
        if self.directions is not None:
            self._check_directions(self.directions)
        if self.date is not None and not EARLIEST_DATE <= self.date <= dt.date.today() + dt.timedelta(days=366):
            raise UsageError(f"--date {self.date.isoformat()} is not a plausible dispensing date",
                             hint=f"use a date from {EARLIEST_DATE.isoformat()} to a year from today, as YYYY-MM-DD")
        return self

    def _check_directions(self, text: str) -> None:
        """What can be refused without the leaflet: the syntax, the counts, --count left unused."""
        if not text.strip():
            raise UsageError("--directions needs a code", hint="times of day and counts: morning=1,bedtime=1")
        if self.count != DEFAULT_COUNT and all("=" in part for part in text.split(",")):
            raise UsageError(f"--count {self.count} is not used: each time of day in --directions has its count",
                             hint="leave out --count, or give it to a time of day without one: bedtime --count 2")
        parse_schedule(text, self.count)

    @property
    def personalised(self) -> bool:
        return bool(self.patient or self.directions or self.free_directions)

    @property
    def typed_text(self) -> str:
        """What the pharmacist typed that prints as typed (the rest comes from catalogs)."""
        return (self.patient or "") + (self.free_directions or "")

    def personal_tag(self) -> str:
        """``2026-11-20-3f9c2a1b7d``: the dispensing date and a short hash of what was typed
        for the patient, so two patients' leaflets never share a file and nobody takes one
        for the stock leaflet. The hash does not reveal the name to whoever reads the folder."""
        typed = {"patient": self.patient, "directions": self.directions, "count": self.count,
                 "free_directions": self.free_directions}
        digest = hashlib.sha256(json.dumps(typed, sort_keys=True).encode()).hexdigest()[:10]
        return f"{(self.date or dt.date.today()).isoformat()}-{digest}"

    @property
    def printed(self) -> bool:
        return self.medium == "print"

    @property
    def suffix(self) -> str:
        """The file name's ending: ``pdf``, ``mp3``, ``brf``, ``html``, ``epi.json``."""
        return MEDIA[self.medium].suffix

    def edition(self, lang: str) -> str:
        """The file name's middle part: ``es+en.large.draft`` for ``diazepam.es+en.large.draft.pdf``."""
        parts = [f"{lang}+en"] if self.bilingual else []
        parts += ["large"] if self.large_print else []
        parts += ["draft"] if self.draft else []
        return ".".join(parts)

    @property
    def edition_name(self) -> str:
        """What the counter and the print history call it: ``standard``, ``large``, ``bilingual``,
        ``bilingual+large`` (the names of ``EDITIONS`` it combines)."""
        if self.medium != "print":
            return self.medium
        return "+".join(sorted(kind.name for kind in EDITIONS.values() if kind.chosen(self))) or "standard"


@dataclass(frozen=True)
class EditionKind:
    """One edition of the registry: its name, what the counter's page calls it, the options
    it sets, and the file name's ending. A new edition is a row here (and, for a new medium,
    a maker in ``leaflet.editions``)."""

    name: str
    label: str
    large_print: bool = False
    bilingual: bool = False
    medium: str = "print"
    suffix: str = "pdf"

    @property
    def printed(self) -> bool:
        return self.medium == "print"

    def options(self, base: BuildOptions) -> BuildOptions:
        return replace(base, large_print=self.large_print, bilingual=self.bilingual, medium=self.medium)

    def chosen(self, options: BuildOptions) -> bool:
        """Whether ``options`` make this edition (the standard one is what none of the others is)."""
        if not self.printed:
            return options.medium == self.medium
        return options.medium == "print" and ((self.large_print and options.large_print)
                                              or (self.bilingual and options.bilingual))


#: Every edition, in the order the counter offers them: the printed ones, then those made
#: from the same localized leaflet for patients who cannot read print.
EDITIONS: dict[str, EditionKind] = {kind.name: kind for kind in (
    EditionKind("standard", "Standard"),
    EditionKind("large", "Large print (16 pt)", large_print=True),
    EditionKind("bilingual", "Bilingual, with English", bilingual=True),
    EditionKind("audio", "Audio (MP3)", medium="audio", suffix="mp3"),
    EditionKind("braille", "Braille (BRF, for an embosser)", medium="braille", suffix="brf"),
    EditionKind("html", "Accessible web page (HTML)", medium="html", suffix="html"),
    EditionKind("epi", "FHIR ePI (JSON)", medium="epi", suffix="epi.json"),
)}


def printed_editions() -> dict[str, EditionKind]:
    """The printed editions: what the counter's print form offers (read from the registry each time)."""
    return {name: kind for name, kind in EDITIONS.items() if kind.printed}


#: Each medium and its one edition (``print``: the standard one, whose suffix is ``pdf``).
MEDIA = {"print": EDITIONS["standard"], **{kind.medium: kind for kind in EDITIONS.values() if not kind.printed}}

DEFAULT_OPTIONS = BuildOptions()
MAX_PERSONAL_TEXT = 500


@dataclass(frozen=True)
class Personal:
    """What the pharmacy adds for one patient; printed as text, never as markup."""

    patient: str | None
    directions: Markup | None
    free_directions: str | None
    dispensed: dt.date
