"""A language's catalogs -> ``Translations``, the text the templates may print.

Only finished translations count: a fuzzy or missing entry is ``None`` here and the
renderer either refuses it or, in a draft, shows the English, marked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from leaflet.catalogs.plurals import (
    header_partition,
    parse_plural_forms,
    plural_forms,
)
from leaflet.catalogs.pofile import (
    Catalog,
    read_catalog_cached,
)
from leaflet.catalogs.stats import is_translated
from leaflet.errors import CatalogError
from leaflet.languages import SOURCE_LANGUAGE
from leaflet.project import Project

UNREVIEWED_NOTE = "Machine-assisted draft: not reviewed by a professional medical translator."


# -- translations for the renderer ---------------------------------------------

@dataclass
class Translations:
    """What the templates may print: finished translations only, never a fuzzy guess."""

    lang: str
    strings: dict[tuple[str | None, str], str]
    catalogs: list[Catalog]
    plurals: dict[tuple[str | None, str], tuple[dict[int, str], Callable[[int], int]]] = field(default_factory=dict)

    def lookup(self, context: str | None, msgid: str) -> str | None:
        if self.lang == SOURCE_LANGUAGE:
            return msgid
        return self.strings.get((context, msgid))

    def lookup_plural(self, context: str | None, singular: str, plural: str, count: int) -> str | None:
        """The form the catalog's own Plural-Forms rule picks for ``count``."""
        if self.lang == SOURCE_LANGUAGE:
            return singular if count == 1 else plural
        found = self.plurals.get((context, singular))
        if found is None:
            return None
        forms, rule = found
        return forms.get(rule(count))

    def header(self, field: str) -> str:
        for catalog in self.catalogs:
            value: str = catalog.po.metadata.get(field, "").strip()
            if value:
                return value
        return ""


def _plural_rule(catalog: Catalog, lang: str) -> Callable[[int], int]:
    """The header's rule, proven over every count a leaflet prints, so a lookup cannot fail
    (a draft skips the checks, but must not stop on ``n%0`` with a traceback)."""
    header = catalog.po.metadata.get("Plural-Forms", "")
    try:
        header_partition(header)
        return parse_plural_forms(header)[1]
    except ValueError as exc:
        raise CatalogError(f"Plural-Forms is not valid ({exc})", path=catalog.path, line=catalog.header_line,
                           hint=f"use '{plural_forms(lang)}'") from None


def load_translations(project: Project, lang: str, domains: list[str]) -> Translations:
    if lang == SOURCE_LANGUAGE:
        return Translations(lang, {}, [])
    catalogs = [read_catalog_cached(project.po_file(lang, domain), project.cache_dir) for domain in domains]
    strings = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for catalog in catalogs
        for entry in catalog.entries()
        if is_translated(entry) and not entry.msgid_plural
    }
    plurals = {}
    for catalog in catalogs:
        entries = [e for e in catalog.entries() if e.msgid_plural and is_translated(e)]
        if entries:
            rule = _plural_rule(catalog, lang)
            plurals.update({(e.msgctxt, e.msgid): (dict(e.msgstr_plural), rule) for e in entries})
    return Translations(lang, strings, catalogs, plurals)
