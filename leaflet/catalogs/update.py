"""Keep every language's catalogs in step with the English: ``.pot`` -> ``.po``.

``update`` merges the templates into each catalog as ``msgmerge --previous`` does, matching
entries by their stable ``msgctxt``, marking changed English fuzzy with the old text beside
it, and following a CLDR change of plural rules; ``init`` starts a new language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib

from leaflet.catalogs.extract import extract, now
from leaflet.catalogs.plurals import (
    PluralChange,
    header_nplurals,
    plural_change,
    plural_forms,
)
from leaflet.catalogs.pofile import (
    read_catalog,
    write_catalog,
)
from leaflet.catalogs.translations import UNREVIEWED_NOTE
from leaflet.errors import UsageError
from leaflet.languages import SOURCE_LANGUAGE, canonical, language
from leaflet.project import Project

# -- update and init ----------------------------------------------------------

@dataclass
class Updated:
    """What ``update`` did: the catalogs it wrote and the languages whose plural rules CLDR changed."""

    written: list[Path] = field(default_factory=list)
    checked: int = 0
    #: language -> (how its counts are grouped now, plural entries marked fuzzy)
    plural_changes: dict[str, tuple[PluralChange, int]] = field(default_factory=dict)


def update(project: Project) -> Updated:
    """Extract, then merge every template into every language's catalogs: each printed domain
    in every language, the counter's page in the languages that started its catalog."""
    extract(project)
    updated = Updated()
    for domain in project.template_domains():
        template = read_catalog(project.pot_file(domain))
        for lang in project.translated_languages():
            if domain not in project.catalog_domains(lang):
                continue
            path = project.po_file(lang, domain)
            if path.exists():
                po = read_catalog(path).po
                _fill_language(po, lang)
                _follow_cldr(po, lang, updated)
                merged = merge(po, template.po)
            else:
                merged = new_catalog(lang, template.po)
            if write_catalog(merged, path):
                updated.written.append(path)
            updated.checked += 1
    return updated


def _fill_language(po: polib.POFile, lang: str) -> None:
    """Weblate's and translate-toolkit's pot2po leave ``Language:`` blank; the folder says it."""
    if not po.metadata.get("Language", "").strip():
        po.metadata["Language"] = lang


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
    nplurals = header_nplurals(po.metadata) or 2  # 'leaflet check' names a broken header
    merged = polib.POFile()
    merged.header, merged.metadata = po.header, dict(po.metadata)
    merged.metadata_is_fuzzy = po.metadata_is_fuzzy  # a header nobody checked stays marked
    merged.metadata["POT-Creation-Date"] = template.metadata.get("POT-Creation-Date", now())
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
        "POT-Creation-Date": template.metadata.get("POT-Creation-Date", now()),
        "PO-Revision-Date": now(),
        "Last-Translator": "",
        "Language-Team": f"{info.english_name}",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(lang),
    }
    return merge(po, template)


def init_page(project: Project, lang: str) -> list[Path]:
    """Start the counter page's catalogs for a language (one with leaflet catalogs or not):
    until they pass ``leaflet check``, the page is shown in English to staff who ask for it."""
    lang = canonical(lang)
    if lang == SOURCE_LANGUAGE:
        raise UsageError("English is the source language and has no catalog")
    domains = project.page_domains()
    if not domains:
        raise UsageError("this project has no counter page (templates/counter/page.html)")
    started = [d for d in domains if d in project.catalog_domains(lang)]
    if started:
        raise UsageError(f"'{lang}' already has the page's catalog", hint="use 'leaflet update' to merge new strings")
    extract(project)
    paths = [project.po_file(lang, domain) for domain in domains]
    for domain, path in zip(domains, paths, strict=True):
        write_catalog(new_catalog(lang, read_catalog(project.pot_file(domain)).po), path)
    return paths


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

