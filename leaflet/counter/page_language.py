"""The counter's page in the staff's language: ``Accept-Language`` -> the page's words, dates and direction.

Takes the browser's ``Accept-Language`` and the languages whose page catalog
(``locales/<lang>/LC_MESSAGES/counter.po``, the ``counter`` domain) passes
``leaflet check``, and gives the language the page is shown in, English when
none matches, with what its template needs in it: ``pgettext`` over that
catalog (a translation is text, escaped like every value, never markup),
dates written with the month's name ("3 dic 2026", never 12/03/2026), the
month names and the order of the date's fields, and the direction (``rtl``
for Arabic). A page translation says it is a draft, not reviewed, as a leaflet
does. Python modules of the counter mark the strings they show on the page
with ``page_text(context, text)``; extraction puts them in the same catalog.
Nothing here reads a request: the routes hand in the header.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import jinja2
from babel import Locale
from babel.dates import format_skeleton, get_date_format, get_month_names
from markupsafe import Markup, escape

from leaflet.catalogs.gate import gate
from leaflet.catalogs.translations import Translations, load_translations
from leaflet.errors import CatalogProblems, LeafletError, UnknownLanguage, UsageError
from leaflet.languages import SOURCE_LANGUAGE, Language, language, negotiate
from leaflet.project import COUNTER_DOMAIN, COUNTER_TEMPLATES, Project

log = logging.getLogger("leaflet.counter")

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: A browser sends a handful of languages; more is not a browser.
MOST_ACCEPTED = 20


class PageText(NamedTuple):
    """A sentence the page shows, kept in English until the page's language says it."""

    context: str
    english: str

    def fill(self, values: Mapping[str, object]) -> str:
        """The English with its values, for logs and the API's words."""
        return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), self.english)


def page_text(context: str, text: str) -> PageText:
    """Marks a sentence a counter module shows on the page: ``leaflet extract`` puts it in the
    ``counter`` catalog (a stable ``msgctxt``, ``{name}`` placeholders), the page translates it."""
    return PageText(context, text)


# -- which language ------------------------------------------------------------------------

def accepted_languages(header: str) -> list[str]:
    """``Accept-Language`` (RFC 9110) -> its language tags, most wanted first; ``*`` and q=0 left out."""
    weighted = []
    for position, item in enumerate(header[:1000].split(",")[:MOST_ACCEPTED]):
        tag, _, params = (part.strip() for part in item.partition(";"))
        quality = _quality(params)
        if tag and tag != "*" and quality is not None and quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def _quality(params: str) -> float | None:
    """``q=0.8`` -> 0.8; none -> 1; anything else is no language at all."""
    if not params:
        return 1.0
    match = re.fullmatch(r"q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)", params, re.IGNORECASE)
    return float(match.group(1)) if match else None


def negotiate_page_language(header: str, available: list[str],
                            usable: Callable[[str], bool] = lambda code: True) -> str:
    """The first language the browser asks for that the page has (and that is ``usable``),
    matched by language and script after CLDR's likely subtags (Babel's ``Locale.parse``:
    zh-CN finds zh_Hans, es-MX es, en-GB English; Babel's ``negotiate_locale`` compares the
    strings only); else English."""
    for tag in accepted_languages(header):
        try:
            code = negotiate(tag, available)
        except (UnknownLanguage, UsageError):
            continue
        if code == SOURCE_LANGUAGE or usable(code):
            return code
    return SOURCE_LANGUAGE


# -- the page's words ----------------------------------------------------------------------

@dataclass(frozen=True)
class PageWords:
    """The page's sentences, dates and direction in one language."""

    lang: Language
    translations: Translations

    @property
    def code(self) -> str:
        return self.lang.code

    @property
    def tag(self) -> str:
        """The BCP 47 tag of ``<html lang>``: ``zh-Hans``."""
        return self.code.replace("_", "-")

    @property
    def direction(self) -> str:
        return self.lang.direction

    @property
    def draft(self) -> bool:
        """No review of the page's catalogs is recorded (``leaflet review`` covers leaflets)."""
        return self.code != SOURCE_LANGUAGE

    def pgettext(self, context: str, english: str, **values: object) -> Markup:
        """The sentence in the page's language (the English where it has none), its
        ``{placeholders}`` filled with the values (a date with its month's name), everything escaped."""
        text = self.translations.lookup(context, english) or english
        return Markup(_PLACEHOLDER.sub(lambda m: str(escape(self._value(values.get(m.group(1), m.group(0))))),
                                       str(escape(text))))

    def _value(self, value: object) -> object:
        return self.date(value) if isinstance(value, dt.date) else value

    def say(self, text: PageText, values: Mapping[str, object] | None = None) -> Markup:
        """A sentence a Python module marked with ``page_text``."""
        return self.pgettext(text.context, text.english, **(values or {}))

    def date(self, day: dt.date | str) -> str:
        """A date with its month's name, in the page's language: "Dec 3, 2026", "3 dic 2026"."""
        if isinstance(day, str):
            try:
                return self.date(dt.date.fromisoformat(day))
            except ValueError:
                return day  # not a date: shown as it is, never a 500
        return format_skeleton("yMMMd", day, locale=self.lang.locale)

    @property
    def months(self) -> list[tuple[int, str]]:
        return _months(self.code)

    @property
    def date_order(self) -> tuple[str, ...]:
        return _date_order(self.code)


@functools.lru_cache(maxsize=64)
def _months(code: str) -> list[tuple[int, str]]:
    return list(get_month_names("wide", context="stand-alone", locale=Locale.parse(code)).items())


@functools.lru_cache(maxsize=64)
def _date_order(code: str) -> tuple[str, ...]:
    """The day, month and year fields in the order the language writes a date (year first in Chinese)."""
    pattern = get_date_format("medium", locale=Locale.parse(code)).pattern
    found = {name: pattern.find(letter) for name, letter in (("day", "d"), ("month", "M"), ("year", "y"))}
    return tuple(sorted(found, key=lambda name: found[name] if found[name] >= 0 else 99))


# -- the page ------------------------------------------------------------------------------

class CounterPage:
    """The page's templates, rendered in the language each request negotiates."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(project.templates_dir / COUNTER_TEMPLATES),
                                      autoescape=True, undefined=jinja2.StrictUndefined, auto_reload=False,
                                      trim_blocks=True, lstrip_blocks=True)

    def language_for(self, accept_language: str) -> str:
        """The language the page is shown in: the first the browser asks for whose page catalog
        passes the checks. One that fails is passed over (its staff see the next they asked
        for, or English) and named in the log with the check's first problem."""
        return negotiate_page_language(accept_language, self.project.page_languages(), self._passes)

    def _passes(self, code: str) -> bool:
        try:
            gate(self.project, code, [COUNTER_DOMAIN])
        except CatalogProblems as exc:
            first = next((p for p in exc.problems if p.severity == "error"), None)
            _log_refused(code, str(first) if first is not None else exc.message)
            return False
        except LeafletError as exc:
            _log_refused(code, str(exc))
            return False
        return True

    def words(self, code: str) -> PageWords:
        return PageWords(language(code), load_translations(self.project, code, [COUNTER_DOMAIN]))

    def render(self, name: str, code: str, context: Mapping[str, Any]) -> str:
        words = self.words(code)
        return self.env.get_template(name).render(
            context, page=words, pgettext=words.pgettext, say=words.say, format_date=words.date)


@functools.lru_cache(maxsize=64)
def _log_refused(code: str, reason: str) -> None:
    """Once per language and reason, not once per request."""
    log.warning("the counter page is not shown in '%s' (staff who ask for it see English or their next "
                "language): its catalog fails 'leaflet check': %s", code, reason)
