"""What is left to translate: a catalog -> counts of translated, fuzzy and missing entries.
"""

from __future__ import annotations

from dataclasses import dataclass

import polib

from leaflet.catalogs.pofile import Catalog, read_catalog_cached
from leaflet.errors import LeafletError
from leaflet.languages import SOURCE_LANGUAGE
from leaflet.project import Project

# -- statistics ---------------------------------------------------------------

@dataclass(frozen=True)
class Statistics:
    lang: str
    domain: str
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def statistics(catalog: Catalog, lang: str, domain: str) -> Statistics:
    """Fuzzy entries are guesses: they count as not translated (unlike Babel's count)."""
    translated = fuzzy = untranslated = 0
    for entry in catalog.entries():
        if entry.fuzzy:
            fuzzy += 1
        elif is_translated(entry):
            translated += 1
        else:
            untranslated += 1
    return Statistics(lang, domain, translated, fuzzy, untranslated)


def not_started(project: Project, lang: str, leaflet: str) -> bool:
    """No entry of the leaflet's own catalog is translated in the language (or it has none):
    a leaflet nobody has begun to translate there, which a batch skips rather than fails.
    A catalog begun but unfinished is not this: the build refuses it, with its problems."""
    if lang == SOURCE_LANGUAGE:
        return False
    try:
        path = project.po_file(lang, leaflet)
        if not path.exists() and not path.is_symlink():
            return True
        catalog = read_catalog_cached(path)
    except LeafletError:
        return False  # broken, or a link out of the project: the build says how
    return not any(is_translated(entry) for entry in catalog.entries())


def is_translated(entry: polib.POEntry) -> bool:
    if entry.fuzzy:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(s.strip() for s in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())
