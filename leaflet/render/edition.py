"""The one render path: a leaflet, a language and an edition's options -> HTML -> PDF bytes.

``resolve_edition`` checks and resolves what was asked for (names, options, the
pharmacy profile) before any work; ``render_html`` gives the page as HTML (the
HTML preview stops there); ``render_edition`` prints it, refusing a language whose
catalogs have errors, and gives the PDF with its laid-out text and every file it
was made from. The build, the batch, the counter and ``render`` all go through it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.errors import UsageError
from leaflet.languages import SOURCE_LANGUAGE
from leaflet.project import COUNTER_TEMPLATES, Project
from leaflet.render.options import DEFAULT_OPTIONS, BuildOptions
from leaflet.source.content import read_leaflet
from leaflet.source.directions import choose_directions
from leaflet.source.pharmacy import Pharmacy, read_pharmacy

# Jinja, Babel and WeasyPrint are imported by the functions that render: a build that finds
# its PDF up to date resolves and plans without them (a no-op `make pdf LANG=es`).
if TYPE_CHECKING:
    from leaflet.catalogs.translations import Translations
    from leaflet.render.pdf import Rendered

#: What the PDF's metadata says of its edition, so ``leaflet preflight`` can rebuild it (never what was typed).
#: WeasyPrint writes each ``<meta name>`` as an entry of the PDF's Info without its "-".
EDITION_KEYS = ("leaflet-id", "leaflet-language", "leaflet-edition", "leaflet-paper", "leaflet-personal")


@dataclass(frozen=True)
class Edition:
    """One leaflet in one language and edition, every name resolved and every default filled in."""

    leaflet: str
    lang: str
    options: BuildOptions
    pharmacy: Pharmacy | None

    def domains(self, project: Project) -> list[str]:
        return project.leaflet_domains(self.leaflet, directions=bool(self.options.directions))

    def metadata(self) -> dict[str, str]:
        values = (self.leaflet, self.lang, self.options.edition(self.lang) or "standard",
                  self.options.paper or "a4", "yes" if self.options.personalised else "no")
        return dict(zip(EDITION_KEYS, values, strict=True))


def resolve_edition(project: Project, leaflet: str, lang: str, options: BuildOptions = DEFAULT_OPTIONS) -> Edition:
    """Refuse a wrong name, option or profile before any work is done."""
    options = options.validated()
    leaflet_id, code = project.resolve_leaflet(leaflet), project.resolve_language(lang)
    if options.bilingual and code == SOURCE_LANGUAGE:
        raise UsageError("--bilingual prints a language beside English; English has no bilingual edition",
                         hint="choose another language")
    pharmacy = read_pharmacy(Path(options.pharmacy), project.root) if options.pharmacy else None
    if options.paper is None:
        options = replace(options, paper=(pharmacy.paper if pharmacy and pharmacy.paper else "a4"))
    if options.personalised and options.date is None:
        options = replace(options, date=dt.date.today())
    if options.directions:
        choose_directions(project.directions_file, read_leaflet(project.content_file(leaflet_id)), options.directions,
                          options.count)
    return Edition(leaflet_id, code, options, pharmacy)


@dataclass(frozen=True)
class LeafletHtml:
    html: str
    translations: Translations


def render_html(project: Project, edition: Edition, *, preview: bool = False) -> LeafletHtml:
    """The page as HTML. Drafts and previews show missing entries in English, marked;
    anything else is refused unless every catalog passes its checks."""
    from leaflet.catalogs.gate import gate
    from leaflet.catalogs.translations import load_translations
    from leaflet.render.context import leaflet_html

    content = read_leaflet(project.content_file(edition.leaflet))  # a broken or hostile file is refused first
    if not edition.options.draft and not preview:
        gate(project, edition.lang, edition.domains(project))
    translations = load_translations(project, edition.lang, edition.domains(project))
    html = leaflet_html(project, content, translations, edition.options, edition.pharmacy,
                        preview=preview, edition=None if preview else edition.metadata())
    return LeafletHtml(html, translations)


def render_edition(project: Project, edition: Edition) -> Rendered:
    """The PDF, with the text laid out on each page and every file it was made from."""
    from leaflet.render.printing import print_pdf

    page = render_html(project, edition)
    rendered, fonts = print_pdf(project, page.html, edition.lang, edition.pharmacy,
                                personal=edition.options.personalised, bilingual=edition.options.bilingual,
                                typed=edition.options.typed_text)
    return replace(rendered, html=page.html, inputs=tuple(_inputs(project, edition, page.translations, fonts)))


def render(leaflet: str, lang: str, options: BuildOptions = DEFAULT_OPTIONS, *,
           project: Project | None = None) -> Rendered:
    """``leaflet.render("diazepam", "es").data`` is the Spanish leaflet's PDF, written nowhere and
    not yet preflighted (``leaflet.build`` does both, and saves it)."""
    project = project or Project.default()
    return render_edition(project, resolve_edition(project, leaflet, lang, options))


def _inputs(project: Project, edition: Edition, translations: Translations, fonts: list[Path]) -> list[Path]:
    """Every file the PDF was made from, for the build's manifest."""
    options, pharmacy = edition.options, edition.pharmacy
    inputs = [project.content_file(edition.leaflet), *_template_files(project), *fonts, *package_files()]
    inputs += [project.names_file] if project.names_file.exists() else []
    inputs += [c.path for c in translations.catalogs]
    inputs += [project.directions_file] if options.directions else []
    if pharmacy is not None:
        inputs += [Path(options.pharmacy or "")] + ([pharmacy.logo] if pharmacy.logo else [])
    return inputs


def _template_files(project: Project) -> list[Path]:
    return sorted(p for p in project.templates_dir.rglob("*")
                  if p.is_file() and COUNTER_TEMPLATES not in p.relative_to(project.templates_dir).parts[:1])


def package_files() -> list[Path]:
    """The code that prints: a new leaflet version rebuilds everything."""
    return sorted(Path(__file__).parents[1].rglob("*.py"))
