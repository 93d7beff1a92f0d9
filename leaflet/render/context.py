"""What the print template is given: a leaflet, its translations and an edition -> HTML.

Gathers the values the templates print besides the text itself: the review status of the
translation, the dates, the pharmacy as shown (digits in the patient's script), the
personal block and the dosing directions in the right plural form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from leaflet.catalogs.gate import gate
from leaflet.catalogs.reviews import review_status
from leaflet.catalogs.translations import Translations, load_translations
from leaflet.languages import SOURCE_LANGUAGE, Language, language
from leaflet.project import DIRECTIONS_DOMAIN, Project
from leaflet.render.fonts import font_families
from leaflet.render.html import Page, Renderer, fill_template
from leaflet.render.options import BuildOptions, Personal
from leaflet.source.content import Leaflet, read_names
from leaflet.source.directions import read_directions, resolve_direction
from leaflet.source.pharmacy import Pharmacy


def leaflet_html(project: Project, content: Leaflet, translations: Translations, options: BuildOptions,
                 pharmacy: Pharmacy | None = None, *, preview: bool = False,
                 edition: dict[str, str] | None = None) -> str:
    info = language(translations.lang)
    names = read_names(project.names_file)
    renderer = Renderer(translations, info, options.draft, names)
    page = Page(paper=options.paper or "a4", draft=options.draft, font_families=font_families(info),
                large_print=options.large_print, bilingual=options.bilingual)
    english = Renderer(load_translations(project, SOURCE_LANGUAGE, []), language(SOURCE_LANGUAGE), draft=False,
                       names=names)
    revised = max([content.revised, *_catalog_dates(translations)])
    extra = {
        "catalog_date": _header_date(translations.header("PO-Revision-Date")) or content.revised,
        **_review(project, translations.lang, content.revised),
        "with_english": lambda text, source: text if info.code == SOURCE_LANGUAGE else f"{text} · {source}",
        # Fixed dates and a content-derived identifier make the PDF reproducible byte for byte.
        "metadata": {"dcterms.created": revised.isoformat(), "dcterms.modified": revised.isoformat(),
                     **(edition or {})},
        "pharmacy": _shown_pharmacy(pharmacy, info),
        "personal": _personal(project, options, renderer) if options.personalised else None,
        "english": english.block,
        "english_name": language(SOURCE_LANGUAGE).own_name,
        "preview": preview,
    }
    return fill_template(project, content, info, renderer, page, extra)


def _review(project: Project, lang: str, fallback: dt.date) -> dict[str, object]:
    """What the footer says of the review: only a review bound to these exact words counts."""
    if lang == SOURCE_LANGUAGE:
        return {"reviewer": "", "review_date": fallback, "review_changed": False}
    status = review_status(project, lang)
    return {"reviewer": status.reviewer if status.reviewed else "",
            "review_date": _header_date(status.date) or fallback,
            "review_changed": status.changed, "changed_reviewer": status.reviewer if status.changed else ""}


def _personal(project: Project, options: BuildOptions, renderer: Renderer) -> Personal:
    directions = _directions(project, options, renderer) if options.directions else None
    return Personal(options.patient, directions, options.free_directions, options.date or dt.date.today())


def _directions(project: Project, options: BuildOptions, renderer: Renderer) -> Markup:
    direction = resolve_direction(read_directions(project.directions_file), options.directions or "")
    return renderer.npgettext(direction.code, direction.one, direction.other, options.count)


def directions_sentence(project: Project, lang: str, options: BuildOptions) -> Markup:
    """The directions exactly as the leaflet will print them (the plural form and digits of
    ``lang``), for the pharmacist to read before printing; refused as the build would refuse it."""
    options = options.validated()
    if lang != SOURCE_LANGUAGE:
        gate(project, lang, [DIRECTIONS_DOMAIN])
    translations = load_translations(project, lang, [DIRECTIONS_DOMAIN])
    renderer = Renderer(translations, language(lang), draft=False, names=read_names(project.names_file))
    return _directions(project, options, renderer)


@dataclass(frozen=True)
class _ShownPharmacy:
    name: str
    address: str
    phone_shown: str
    logo_url: str


def _shown_pharmacy(pharmacy: Pharmacy | None, info: Language) -> _ShownPharmacy | None:
    """The profile as printed: the phone number in the patient's digits."""
    if pharmacy is None:
        return None
    return _ShownPharmacy(pharmacy.name, pharmacy.address, info.native_digits(pharmacy.phone), pharmacy.logo_url)


def _catalog_dates(translations: Translations) -> list[dt.date]:
    dates = [_header_date(c.po.metadata.get("PO-Revision-Date", "")) for c in translations.catalogs]
    return [d for d in dates if d is not None]


def _header_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
