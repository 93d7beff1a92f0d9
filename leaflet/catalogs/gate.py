"""The one check path: a language's catalogs -> the problems of each, and a print refused or passed.

Every print (build, batch, counter, preview) asks ``gate``; ``leaflet check``, ``leaflet
stats`` and the review proof read the same ``checked`` results. What a catalog's checks
found is cached by the SHA-256 of the file's bytes and the English it is checked against,
so an edited file is checked again and an unchanged one never twice; the caches are bounded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.catalogs.pofile import Catalog, read_catalog_cached
from leaflet.errors import CatalogError, CatalogProblems
from leaflet.languages import SOURCE_LANGUAGE
from leaflet.project import Project, refuse_link_out
from leaflet.verdicts import code_digest, digest, file_sha256, passed, remember_pass

if TYPE_CHECKING:
    from leaflet.catalogs.checks import Problem

Expected = tuple[tuple[str | None, str], ...]


def gate(project: Project, lang: str, domains: list[str]) -> None:
    """Refuse a language whose catalogs have any error (missing, fuzzy, altered, stale)."""
    if lang == SOURCE_LANGUAGE:
        return
    for domain in domains:
        path = project.po_file(lang, domain)
        if not path.exists():
            raise CatalogProblems([], f"{path}: catalog not found; run 'leaflet update'")
    key = _gate_key(project, lang, domains)
    if passed(project.cache_dir, "gate", key):
        return
    from leaflet.catalogs.checks import errors  # only when the catalogs changed since they last passed

    problems = []
    for domain in domains:
        catalog = read_catalog_cached(project.po_file(lang, domain), project.cache_dir)
        problems += checked(catalog, lang, expected_messages(project, domain))
    if errors(problems):
        raise CatalogProblems(problems)
    remember_pass(project.cache_dir, "gate", key)


def _gate_key(project: Project, lang: str, domains: list[str]) -> str:
    """Everything the gate reads: each catalog's and each source file's bytes, and the code."""
    parts = [code_digest(), lang]
    for domain in domains:
        parts += [domain, file_sha256(project.po_file(lang, domain))]
        parts += [file_sha256(path) for path in project.domain_sources(domain)]
    return digest(*parts)


def expected_messages(project: Project, domain: str) -> Expected:
    """The (context, English) pairs a domain's catalogs must translate, as the sources say now."""
    from leaflet.catalogs.extract import extract_messages

    return tuple((m.context, m.msgid) for m in extract_messages(project, domain))


def checked(catalog: Catalog, lang: str, expected: Expected) -> list[Problem]:
    """What the checks found in one version of a file."""
    return list(_checked(catalog, lang, expected))


@functools.lru_cache(maxsize=256)
def _checked(catalog: Catalog, lang: str, expected: Expected) -> tuple[Problem, ...]:
    """``read_catalog_cached`` gives one ``Catalog`` (hashed by identity) per SHA-256 of the
    file's bytes, so this is keyed by the file's contents."""
    from leaflet.catalogs.checks import check_catalog

    return tuple(check_catalog(catalog, lang, expected))


@dataclass
class CheckedCatalog:
    path: Path
    lang: str
    domain: str
    problems: list[Problem]


def check_paths(project: Project, paths: list[Path]) -> list[CheckedCatalog]:
    """Check catalog files against the English the content and templates have now."""
    from leaflet.catalogs.checks import ERROR, Problem

    expected_by_domain = {d: expected_messages(project, d) for d in project.domains()}
    results = []
    for path in paths:
        lang, domain = path.parent.parent.name, path.stem
        try:
            catalog = read_catalog_cached(path)
        except CatalogError as exc:
            problem = Problem(exc.path or path, exc.line or 1, ERROR, "syntax", exc.message)
            results.append(CheckedCatalog(path, lang, domain, [problem]))
            continue
        if not _in_locales(project, path):  # a file from Weblate or an e-mail: its header says the language
            header_lang = _header_language(catalog)
            if header_lang is None:
                problem = Problem(path, catalog.header_line, ERROR, "header",
                                  "no valid Language header: a catalog outside locales/ must say its language")
                results.append(CheckedCatalog(path, "", domain, [problem]))
                continue
            lang = header_lang
        results.append(CheckedCatalog(path, lang, domain, checked(catalog, lang, expected_by_domain.get(domain, ()))))
    return results


def _in_locales(project: Project, path: Path) -> bool:
    return path.resolve().parent.parent.parent == project.locales_dir.resolve()


def _header_language(catalog: Catalog) -> str | None:
    from babel import Locale, UnknownLocaleError

    code: str = catalog.po.metadata.get("Language", "").strip().replace("-", "_")
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError, TypeError):
        return None
    return code


def catalog_paths(project: Project, targets: list[str]) -> list[Path]:
    """Language codes or .po files, as typed; all translated languages when empty."""
    if not targets:
        targets = project.translated_languages()
    paths: list[Path] = []
    for target in targets:
        if target.endswith(".po"):
            paths.append(refuse_link_out(Path(target), project.root))
        else:
            lang = project.resolve_language(target)
            paths += [project.po_file(lang, domain) for domain in project.domains() if lang != SOURCE_LANGUAGE]
    return paths
