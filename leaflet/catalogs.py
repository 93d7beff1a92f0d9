"""The gettext catalogs: content and templates -> ``.pot`` -> ``.po`` per language.

The second stage of the pipeline. ``extract`` writes one template per domain
(``frame`` for the print templates shared by every leaflet, one per leaflet
for its content) with Babel's extractors; ``update`` merges them into every
language's catalogs the way ``msgmerge --previous`` does, matching entries by
their stable ``msgctxt``; ``init`` starts a language; ``statistics`` counts
what is left; ``load_translations`` gives the renderer what is safe to print.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import polib
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file

from . import __version__
from .content import extract_babel
from .directions import extract_babel as extract_directions
from .errors import CatalogError, UsageError
from .languages import SOURCE_LANGUAGE, canonical, language
from .plurals import PluralChange, header_partition, parse_plural_forms, plural_change, plural_forms
from .pofile import Catalog, read_catalog, read_catalog_cached, write_catalog
from .project import DIRECTIONS_DOMAIN, FRAME_DOMAIN, Project

COMMENT_TAGS = ("Translators:",)
#: Gettext's keywords plus the templates' ``plain(context, text)``, which gives plain text for CSS and metadata.
KEYWORDS = {**DEFAULT_KEYWORDS, "plain": ((1, "c"), 2)}
_TEMPLATE_METHODS = [("**.html", "jinja2"), ("**.css", "ignore")]
_TEMPLATE_OPTIONS = {"**.html": {"silent": "false", "trimmed": "true"}}
UNREVIEWED_NOTE = "Machine-assisted draft: not reviewed by a professional medical translator."


@dataclass(frozen=True)
class Extracted:
    msgid: str
    context: str | None
    comments: tuple[str, ...]
    locations: tuple[tuple[str, int], ...]
    msgid_plural: str | None = None


# -- extraction ---------------------------------------------------------------

def extract_templates(fileobj: Any, keywords: Any, comment_tags: Any, options: dict[str, Any]) -> Iterator[tuple]:
    """Babel extraction method ``leaflet_templates``: Jinja's, with our settings built in, so
    ``pybabel extract -F babel.cfg -o messages.pot .`` finds every string and translator
    comment as typed, without ``-k plain:1c,2`` or ``-c Translators:``. ``plain(context,
    text)`` is handed to Babel as the ``pgettext`` it is, which Babel always knows."""
    from jinja2.ext import babel_extract

    settings = {"silent": "false", "trimmed": "true", **options}
    tags = tuple(comment_tags) or COMMENT_TAGS
    for line, function, message, comments in babel_extract(fileobj, [*keywords, "plain"], tags, settings):
        comments = [c.split(":", 1)[1].strip() if c.startswith(COMMENT_TAGS) else c for c in comments]
        yield line, "pgettext" if function == "plain" else function, message, comments


def extract(project: Project) -> list[Path]:
    """Rewrite every ``.pot``; a template whose messages did not change is left as it is."""
    written = []
    for domain in project.domains():
        entries = extract_messages(project, domain)
        path = project.pot_file(domain)
        if _template_changed(path, entries):
            write_catalog(_template(domain, entries), path)
            written.append(path)
        elif write_catalog(read_catalog(path).po, path):  # same messages, only gettext's layout
            written.append(path)
    return written


def extract_messages(project: Project, domain: str) -> list[Extracted]:
    """The messages the English has now; cached while the source files are unchanged."""
    sources = _domain_sources(project, domain)
    stamp = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in sources if p.exists())
    return list(_extract_cached(project, domain, stamp))


def _domain_sources(project: Project, domain: str) -> list[Path]:
    if domain == DIRECTIONS_DOMAIN:
        return [project.directions_file]
    if domain == FRAME_DOMAIN:
        return sorted(project.templates_dir.rglob("*.html"))
    return [project.content_file(domain)]


@functools.lru_cache(maxsize=64)
def _extract_cached(project: Project, domain: str, stamp: tuple) -> tuple[Extracted, ...]:
    return tuple(_extract_domain(project, domain))


def _extract_domain(project: Project, domain: str) -> list[Extracted]:
    root = project.root
    if domain == DIRECTIONS_DOMAIN:
        path = project.directions_file
        found = extract_from_file(extract_directions, path, keywords=KEYWORDS)
        results = [(str(path.relative_to(root)), *rest) for rest in found]
    elif domain == FRAME_DOMAIN:
        found = extract_from_dir(project.templates_dir, _TEMPLATE_METHODS, _TEMPLATE_OPTIONS,
                                 keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True)
        results = [(f"templates/{name}", *rest) for name, *rest in found]
    else:
        path = project.content_file(domain)
        found = extract_from_file(extract_babel, path, keywords=KEYWORDS)
        results = [(str(path.relative_to(root)), *rest) for rest in found]
    return _merge_locations(results)


def _merge_locations(results: list[tuple]) -> list[Extracted]:
    merged: dict[tuple[str | None, str], Extracted] = {}
    for filename, lineno, message, comments, context in results:
        msgid, plural = (message[0], message[1]) if isinstance(message, tuple) else (message, None)
        key = (context, msgid)
        before = merged.get(key)
        locations = (before.locations if before else ()) + ((filename, lineno),)
        notes = tuple(dict.fromkeys((before.comments if before else ()) + tuple(comments)))
        merged[key] = Extracted(msgid, context, notes, locations, plural)
    return list(merged.values())


def _template(domain: str, entries: list[Extracted]) -> polib.POFile:
    pot = polib.POFile()
    pot.header = f"Translation template for the leaflet domain '{domain}'."
    pot.metadata = {
        "Project-Id-Version": f"leaflet {domain}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": _now(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Generated-By": f"leaflet {__version__}",
    }
    for item in entries:
        pot.append(_template_entry(item))
    return pot


def _template_entry(item: Extracted) -> polib.POEntry:
    entry = polib.POEntry(msgctxt=item.context, msgid=item.msgid, msgstr="",
                          comment="\n".join(item.comments), occurrences=list(item.locations))
    if item.msgid_plural:
        entry.msgid_plural = item.msgid_plural
        entry.msgstr_plural = {0: "", 1: ""}
    if "{" in item.msgid:
        entry.flags.append("python-brace-format")
    return entry


def _template_changed(path: Path, entries: list[Extracted]) -> bool:
    if not path.exists():
        return True
    old = read_catalog(path)
    before = [(e.msgctxt, e.msgid, e.msgid_plural or None, " ".join(e.comment.split()), e.occurrences)
              for e in old.entries()]
    after = [(i.context, i.msgid, i.msgid_plural, " ".join(" ".join(i.comments).split()),
              [(f, str(n)) for f, n in i.locations]) for i in entries]
    return before != after


# -- update and init ----------------------------------------------------------

@dataclass
class Updated:
    """What ``update`` did: the catalogs it wrote and the languages whose plural rules CLDR changed."""

    written: list[Path] = field(default_factory=list)
    checked: int = 0
    #: language -> (how its counts are grouped now, plural entries marked fuzzy)
    plural_changes: dict[str, tuple[PluralChange, int]] = field(default_factory=dict)


def update(project: Project) -> Updated:
    """Extract, then merge every template into every language's catalogs."""
    extract(project)
    updated = Updated()
    for domain in project.domains():
        template = read_catalog(project.pot_file(domain))
        for lang in project.translated_languages():
            path = project.po_file(lang, domain)
            if path.exists():
                po = read_catalog(path).po
                _follow_cldr(po, lang, updated)
                merged = merge(po, template.po)
            else:
                merged = new_catalog(lang, template.po)
            if write_catalog(merged, path):
                updated.written.append(path)
            updated.checked += 1
    return updated


def _follow_cldr(po: polib.POFile, lang: str, updated: Updated) -> None:
    """When the pinned Babel's CLDR groups the counts differently from the header, take
    CLDR's header and start each new form from the text most of its counts printed
    before, marked fuzzy, so a translator looks at every plural entry again."""
    change = plural_change(lang, po.metadata.get("Plural-Forms", ""))
    if change is None:
        return
    po.metadata["Plural-Forms"] = change.new_header
    fuzzied = 0
    for entry in po:
        if entry.msgid_plural and not entry.obsolete:
            old = dict(entry.msgstr_plural)
            entry.msgstr_plural = {new: old.get(source, "") for new, source in enumerate(change.source_forms)}
            if _has_translation(entry) and "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
                fuzzied += 1
    _, before = updated.plural_changes.get(lang, (change, 0))
    updated.plural_changes[lang] = (change, before + fuzzied)


def merge(po: polib.POFile, template: polib.POFile) -> polib.POFile:
    """Like ``msgmerge --previous``, matching by msgctxt: a changed English text keeps
    its old translation, marked fuzzy, with the old text as ``#| msgid``."""
    live = [e for e in po if not e.obsolete and e.msgid]
    exact = {(e.msgctxt, e.msgid): e for e in live}
    exact.update({(e.msgctxt, e.msgid): e for e in po.obsolete_entries()})
    by_context = {e.msgctxt: e for e in live if e.msgctxt}
    nplurals = _nplurals(po)
    merged = polib.POFile()
    merged.header, merged.metadata = po.header, dict(po.metadata)
    merged.metadata_is_fuzzy = po.metadata_is_fuzzy  # a header nobody checked stays marked
    merged.metadata["POT-Creation-Date"] = template.metadata.get("POT-Creation-Date", _now())
    used = set()
    for source in template:
        if not source.msgid:
            continue
        old = exact.get((source.msgctxt, source.msgid)) or by_context.get(source.msgctxt)
        merged.append(_merged_entry(source, old, nplurals))
        if old is not None:
            used.add(id(old))
    for old in po:
        if id(old) not in used and old.msgid and (old.obsolete or _has_translation(old)):
            old.obsolete = True
            merged.append(old)
    return merged


def _merged_entry(source: polib.POEntry, old: polib.POEntry | None, nplurals: int) -> polib.POEntry:
    entry = polib.POEntry(msgctxt=source.msgctxt, msgid=source.msgid, msgstr="", comment=source.comment,
                          occurrences=source.occurrences, flags=list(source.flags))
    if source.msgid_plural:
        entry.msgid_plural = source.msgid_plural
        entry.msgstr_plural = {i: "" for i in range(nplurals)}
    if old is None:
        return entry
    entry.tcomment = old.tcomment
    entry.msgstr = old.msgstr
    if source.msgid_plural and old.msgstr_plural:
        entry.msgstr_plural = {i: old.msgstr_plural.get(i, "") for i in range(nplurals)}
    changed = old.msgid != source.msgid or (old.msgid_plural or "") != (source.msgid_plural or "")
    if changed and _has_translation(old):
        entry.flags.append("fuzzy")
        entry.previous_msgctxt, entry.previous_msgid = old.msgctxt, old.msgid
        entry.previous_msgid_plural = old.msgid_plural or None
    elif old.fuzzy:
        entry.flags.append("fuzzy")
        entry.previous_msgctxt, entry.previous_msgid = old.previous_msgctxt, old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural
    return entry


def _has_translation(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def new_catalog(lang: str, template: polib.POFile) -> polib.POFile:
    info = language(lang)
    po = polib.POFile()
    po.header = (f"{info.english_name} translation of a leaflet.\n"
                 f"{UNREVIEWED_NOTE}")
    po.metadata = {
        "Project-Id-Version": template.metadata.get("Project-Id-Version", "leaflet"),
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": template.metadata.get("POT-Creation-Date", _now()),
        "PO-Revision-Date": _now(),
        "Last-Translator": "",
        "Language-Team": f"{info.english_name}",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(lang),
    }
    return merge(po, template)


def init(project: Project, lang: str) -> list[Path]:
    """Start a new language from the templates; refuses to overwrite work."""
    lang = canonical(lang)
    if lang == SOURCE_LANGUAGE:
        raise UsageError("English is the source language and has no catalog")
    same = [code for code in project.languages() if code.lower() == lang.lower()]
    if same:
        raise UsageError(f"'{same[0]}' already has catalogs", hint="use 'leaflet update' to merge new strings")
    extract(project)
    paths = [project.po_file(lang, domain) for domain in project.domains()]
    for domain, path in zip(project.domains(), paths, strict=True):
        write_catalog(new_catalog(lang, read_catalog(project.pot_file(domain)).po), path)
    return paths


def _nplurals(po: polib.POFile) -> int:
    try:
        return parse_plural_forms(po.metadata.get("Plural-Forms", ""))[0]
    except ValueError:
        return 2  # 'leaflet check' names the broken header


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


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


def is_translated(entry: polib.POEntry) -> bool:
    if entry.fuzzy:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(s.strip() for s in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


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
            value = catalog.po.metadata.get(field, "").strip()
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
    catalogs = [read_catalog_cached(project.po_file(lang, domain)) for domain in domains]
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
