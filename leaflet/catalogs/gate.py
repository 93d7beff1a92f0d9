"""The one check path: a language's catalogs -> the problems of each, and a print refused or passed.

Every print (build, batch, counter, preview) asks ``gate``; ``leaflet check``, ``leaflet
stats`` and the review proof read the same ``checked`` results. What a catalog's checks
found is cached by the SHA-256 of the file's bytes, the English it is checked against and
the language's glossary, so an edited file is checked again and an unchanged one never
twice; the caches are bounded. A glossary that cannot be read is an error of every
catalog of its language: its approved terms could not be checked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.catalogs.pofile import Catalog, read_catalog_cached
from leaflet.errors import CatalogError, CatalogProblems, GlossaryError, UsageError
from leaflet.languages import SOURCE_LANGUAGE
from leaflet.project import COUNTER_DOMAIN, Project, refuse_link_out
from leaflet.verdicts import code_digest, digest, file_sha256, passed, remember_pass

if TYPE_CHECKING:
    from leaflet.catalogs.checks import Problem
    from leaflet.catalogs.glossary import Glossary

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

    glossary, problems = language_glossary(project, lang)
    for domain in domains:
        catalog = read_catalog_cached(project.po_file(lang, domain), project.cache_dir)
        problems += checked(catalog, lang, expected_messages(project, domain), glossary=_patients(domain, glossary))
    if errors(problems):
        raise CatalogProblems(problems)
    remember_pass(project.cache_dir, "gate", key)


def _gate_key(project: Project, lang: str, domains: list[str]) -> str:
    """Everything the gate reads: each catalog's and each source file's bytes, and the code."""
    parts = [code_digest(), lang, file_sha256(project.glossary_file(lang))]
    for domain in domains:
        parts += [domain, file_sha256(project.po_file(lang, domain))]
        parts += [file_sha256(path) for path in project.domain_sources(domain)]
    return digest(*parts)


def expected_messages(project: Project, domain: str) -> Expected:
    """The (context, English) pairs a domain's catalogs must translate, as the sources say now."""
    from leaflet.catalogs.extract import extract_messages

    return tuple((m.context, m.msgid) for m in extract_messages(project, domain))


def checked(catalog: Catalog, lang: str, expected: Expected, source: str | None = None,
            glossary: Glossary | None = None) -> list[Problem]:
    """What the checks found in one version of a file; ``source`` says where ``lang`` comes
    from (``check_catalog``), its folder in the project by default."""
    return list(_checked(catalog, lang, expected, source, glossary))


@functools.lru_cache(maxsize=256)
def _checked(catalog: Catalog, lang: str, expected: Expected, source: str | None,
             glossary: Glossary | None) -> tuple[Problem, ...]:
    """``read_catalog_cached`` gives one ``Catalog`` (hashed by identity) per SHA-256 of the
    file's bytes, so this is keyed by the file's contents; a ``Glossary`` is plain data."""
    from leaflet.catalogs.checks import FOLDER, check_catalog

    return tuple(check_catalog(catalog, lang, expected, source or FOLDER, glossary))


def _patients(domain: str, glossary: Glossary | None) -> Glossary | None:
    """The glossary is for what patients read: the staff's page (``counter``) may name a medicine
    as the pharmacist types it ("zolpidem")."""
    return None if domain == COUNTER_DOMAIN else glossary


def language_glossary(project: Project, lang: str) -> tuple[Glossary | None, list[Problem]]:
    """The language's glossary (None if it has none), or the error that it cannot be read."""
    from leaflet.catalogs.checks import ERROR, Problem
    from leaflet.catalogs.glossary import read_glossary_cached

    path = project.glossary_file(lang)
    if not path.exists():
        return None, []
    try:
        return read_glossary_cached(path, lang), []
    except GlossaryError as exc:
        return None, [Problem(exc.path or path, exc.line or 1, ERROR, "glossary", exc.message)]


@dataclass
class CheckedCatalog:
    path: Path
    lang: str
    domain: str
    problems: list[Problem]


def check_paths(project: Project, paths: list[Path], lang: str | None = None) -> list[CheckedCatalog]:
    """Check catalog files against the English the content and templates have now. A file in
    the project's locales/ is in the language of its folder; any other file (from Weblate, an
    e-mail, another project) in ``lang`` if given, else the one its header or path names."""
    from leaflet.catalogs.checks import ERROR, OPTION, Problem

    expected_by_domain = {d: expected_messages(project, d) for d in project.template_domains()}
    results = []
    for path in paths:
        domain = path.stem
        try:
            catalog = read_catalog_cached(path)
        except CatalogError as exc:
            problem = Problem(exc.path or path, exc.line or 1, ERROR, "syntax", exc.message)
            results.append(CheckedCatalog(path, lang or "", domain, [problem]))
            continue
        found = (lang, OPTION) if lang else _language(project, catalog)
        if found is None:
            problem = Problem(path, catalog.header_line, ERROR, "header",
                              "no Language or Language-Code header, and no .../<lang>/LC_MESSAGES/ in the path: "
                              "pass --lang LANG")
            results.append(CheckedCatalog(path, "", domain, [problem]))
            continue
        code, source = found
        glossary, problems = language_glossary(project, code) if domain in expected_by_domain else (None, [])
        results.append(CheckedCatalog(path, code, domain, problems + checked(
            catalog, code, expected_by_domain.get(domain, ()), source, _patients(domain, glossary))))
    return results



def check_paths_as_gettext(paths: list[Path]) -> list[CheckedCatalog]:
    """``leaflet check --gettext``: each file as ``msgfmt -c`` checks it, and nothing more
    (``catalogs.msgfmt``); no language is needed, msgfmt reads none."""
    from leaflet.catalogs.checks import ERROR, Problem
    from leaflet.catalogs.msgfmt import check_as_gettext

    results = []
    for path in paths:
        try:
            problems = check_as_gettext(path)
        except CatalogError as exc:  # not found, not a regular file, too large
            problems = [Problem(exc.path or path, exc.line or 1, ERROR, "syntax", exc.message)]
        results.append(CheckedCatalog(path, "", path.stem, problems))
    return results

def _language(project: Project, catalog: Catalog) -> tuple[str, str] | None:
    """A project catalog is in the language of its folder; any other says its own."""
    from leaflet.catalogs.checks import FOLDER

    if _in_locales(project, catalog.path):
        return catalog.path.parent.parent.name, FOLDER
    return file_language(catalog)


def _in_locales(project: Project, path: Path) -> bool:
    return path.resolve().parent.parent.parent == project.locales_dir.resolve()


#: A language code as catalogs and folders write it: ``ru``, ``pt_BR``, ``sr@latin``, ``zh-Hans``.
_CODE = re.compile(r"^[A-Za-z]{2,8}(?:[_@-][A-Za-z0-9]{1,8})*$")


def file_language(catalog: Catalog) -> tuple[str, str] | None:
    """The language of a catalog from elsewhere, and where it was found: its ``Language``
    header, else plone's ``Language-Code``, else the folder above ``LC_MESSAGES``. A code
    CLDR does not know is still a language (its plural rules are not checked)."""
    meta = catalog.po.metadata
    path = catalog.path.resolve()
    at_path = path.parent.parent.name if path.parent.name == "LC_MESSAGES" else ""
    for value, source in ((meta.get("Language", ""), "the Language header"),
                          (meta.get("Language-Code", ""), "the Language-Code header"),
                          (at_path, "the path")):
        code = value.strip().replace("-", "_")
        if _CODE.match(code):
            return code, source
    return None


def language_option(typed: str, targets: list[str]) -> str:
    """``leaflet check --lang`` names the language of files: any code, known to CLDR or not."""
    if not targets or not all(target.endswith(".po") for target in targets):
        raise UsageError("--lang names the language of .po files",
                         hint="name the files, or check a language: 'leaflet check es'")
    code = typed.strip().replace("-", "_")
    if not _CODE.match(code):
        raise UsageError(f"--lang '{typed}' is not a language code", hint="use a code such as ru, pt_BR or sr@latin")
    return code


def catalog_paths(project: Project, targets: list[str]) -> list[Path]:
    """Language codes or .po files, as typed; all translated languages when empty. A language's
    catalogs are every printed one and the counter page's where it was started."""
    if not targets:
        targets = project.translated_languages()
    paths: list[Path] = []
    for target in targets:
        if target.endswith(".po"):
            paths.append(refuse_link_out(Path(target), project.root))
        else:
            lang = project.resolve_language(target)
            paths += [project.po_file(lang, domain) for domain in project.catalog_domains(lang)
                      if lang != SOURCE_LANGUAGE]
    return paths
