"""Build one leaflet in one language: the function that chains the stages.

content -> catalogs -> HTML -> PDF. The catalog gate runs first: a language
whose catalogs have any error is refused (``CatalogProblems``) and the
previous PDF stays as it was. ``draft=True`` is for reviewers: missing
entries print in English, marked, in a separately named file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as html_lib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import __version__
from .catalogs import Translations, extract_messages, load_translations
from .checks import check_catalog, errors
from .content import Leaflet, read_leaflet

from .errors import CatalogProblems, UsageError
from .fonts import font_face_css, font_families, prepare_fonts
from .html import PAPER_SIZES, Page, Renderer, render_html
from .languages import SOURCE_LANGUAGE, language
from .pdf import render_pdf, save_pdf
from .pofile import read_catalog
from .project import FRAME_DOMAIN, Project


@dataclass(frozen=True)
class BuildOptions:
    """Every build option and its default, shared by the CLI and the Python API."""

    paper: str = "a4"
    draft: bool = False

    def validated(self) -> "BuildOptions":
        if self.paper not in PAPER_SIZES:
            raise UsageError(f"unknown paper size '{self.paper}'", hint="use one of: " + ", ".join(PAPER_SIZES))
        return self

    @property
    def edition(self) -> str:
        return "draft" if self.draft else ""


DEFAULT_OPTIONS = BuildOptions()


def build(leaflet: str = "diazepam", lang: str = "es", *, project: Project | None = None,
          options: BuildOptions = DEFAULT_OPTIONS, **overrides: object) -> Path:
    """Build ``output/<lang>/<leaflet>.pdf`` and return its path."""
    project = project or Project.default()
    options = replace(options, **overrides).validated()  # type: ignore[arg-type]
    leaflet_id, code = project.resolve_leaflet(leaflet), project.resolve_language(lang)
    content = read_leaflet(project.content_file(leaflet_id))
    domains = [FRAME_DOMAIN, leaflet_id]
    if not options.draft:
        gate(project, code, domains)
    translations = load_translations(project, code, domains)
    html = leaflet_html(project, content, translations, options)
    out = project.output_file(code, leaflet_id, options.edition)
    save_pdf(print_pdf(project, html, code), out)
    return out


def gate(project: Project, lang: str, domains: list[str]) -> None:
    """Refuse a language whose catalogs have any error (missing, fuzzy, altered, stale)."""
    if lang == SOURCE_LANGUAGE:
        return
    problems = []
    for domain in domains:
        expected = [(m.context, m.msgid) for m in extract_messages(project, domain)]
        path = project.po_file(lang, domain)
        if not path.exists():
            raise CatalogProblems([], f"{path}: catalog not found; run 'leaflet update'")
        problems += check_catalog(read_catalog(path), lang, expected)
    if errors(problems):
        raise CatalogProblems(problems)


def leaflet_html(project: Project, content: Leaflet, translations: Translations, options: BuildOptions) -> str:
    info = language(translations.lang)
    renderer = Renderer(translations, info, options.draft)
    page = Page(paper=options.paper, draft=options.draft, font_families=font_families(info))
    reviewer = translations.header("X-Reviewed-By")
    extra = {
        "catalog_date": _header_date(translations.header("PO-Revision-Date")) or content.revised,
        "reviewer": reviewer,
        "review_date": _header_date(translations.header("X-Review-Date")) or content.revised,
        "metadata": {"dcterms.created": content.revised.isoformat(), "dcterms.modified": content.revised.isoformat()},
    }
    return render_html(project, content, info, renderer, page, extra)


def print_pdf(project: Project, html: str, lang: str) -> bytes:
    faces = prepare_fonts(language(lang), visible_text(html), project.cache_dir)
    identifier = hashlib.sha256(html.encode() + __version__.encode()).hexdigest()[:32].encode()
    return render_pdf(html, base_dir=project.templates_dir, font_css=font_face_css(faces),
                      allowed=[project.cache_dir / "fonts"], identifier=identifier)


def visible_text(html: str) -> str:
    """Every character the page can show: text between tags and the CSS strings of the footer."""
    return html_lib.unescape(re.sub(r"<[^>]*>", " ", html))


def _header_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
