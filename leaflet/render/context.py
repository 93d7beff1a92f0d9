"""What the print template is given: the localized leaflet and an edition -> HTML.

``localized_leaflet`` makes the model (``leaflet.localized``) from the content and the
catalogs; ``leaflet_page`` gives the template that model and what it prints besides the
text: the review's state, the dates, the pharmacy as shown (digits in the patient's
script) and the personal block with its directions in the form the count takes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from leaflet.catalogs.gate import gate
from leaflet.catalogs.translations import Translations, load_translations
from leaflet.languages import SOURCE_LANGUAGE, language
from leaflet.localized import LocalizedLeaflet, header_date, localize, localize_directions
from leaflet.project import DIRECTIONS_DOMAIN, Project
from leaflet.render.fonts import css_family, fallback_fonts, font_families
from leaflet.render.html import Page, Renderer, fill_template, number, sentence_html
from leaflet.render.options import BuildOptions, Personal
from leaflet.source.content import Leaflet, read_leaflet, read_names
from leaflet.source.directions import Chosen, choose_directions
from leaflet.source.pharmacy import Pharmacy


def leaflet_html(project: Project, content: Leaflet, translations: Translations, options: BuildOptions,
                 pharmacy: Pharmacy | None = None, *, preview: bool = False,
                 edition: dict[str, str] | None = None) -> str:
    """The page: the localized leaflet (``localize``), printed through the template."""
    return leaflet_page(project, localized_leaflet(project, content, translations, options), options, pharmacy,
                        preview=preview, edition=edition)


def localized_leaflet(project: Project, content: Leaflet, translations: Translations,
                      options: BuildOptions) -> LocalizedLeaflet:
    chosen = (choose_directions(project.directions_file, content, options.directions, options.count)
              if options.personalised and options.directions else None)
    return localize(project, content, translations, draft=options.draft, directions=chosen,
                    names=read_names(project.names_file))


def leaflet_page(project: Project, leaflet: LocalizedLeaflet, options: BuildOptions,
                 pharmacy: Pharmacy | None = None, *, preview: bool = False,
                 edition: dict[str, str] | None = None) -> str:
    """The HTML renderer's one entry: the model and an edition's options -> HTML."""
    info = leaflet.lang
    renderer = Renderer(leaflet)
    fallbacks = fallback_fonts(info, options.typed_text, project.cache_dir,
                               profile=pharmacy.printed_text if pharmacy else "")
    page = Page(paper=options.paper or "a4", draft=options.draft, font_families=font_families(info),
                fallback_families=[css_family(fallback.family) for fallback in fallbacks],
                large_print=options.large_print, bilingual=options.bilingual)
    revised = max(leaflet.revised, leaflet.catalog_date)
    extra = {
        "catalog_date": leaflet.catalog_date,
        **_review(leaflet),
        "with_english": lambda text, source: text if info.code == SOURCE_LANGUAGE else f"{text} · {source}",
        # Fixed dates and a content-derived identifier make the PDF reproducible byte for byte.
        "metadata": {"dcterms.created": revised.isoformat(), "dcterms.modified": revised.isoformat(),
                     **(edition or {})},
        # The profile as typed: a phone number in Bengali digits ("+৪৪") would read as "+88".
        "pharmacy": pharmacy,
        "personal": _personal(options, renderer) if options.personalised else None,
        "english_name": language(SOURCE_LANGUAGE).own_name,
        "qr_codes": qr_codes(project, leaflet, pharmacy),
        "preview": preview,
    }
    return fill_template(project, renderer, page, extra)


@dataclass(frozen=True)
class QrCode:
    medium: str
    url: str
    image: str  # the file: URL of its SVG, drawn by segno

    @property
    def breakable_url(self) -> Markup:
        """The address with a break allowed after each "/" and nowhere else."""
        return Markup("/<wbr>").join(escape(part) for part in self.url.split("/"))


def qr_codes(project: Project, leaflet: LocalizedLeaflet, pharmacy: Pharmacy | None) -> list[QrCode]:
    """A code to the web page, and to the audio where the language has a voice: only for a
    pharmacy whose counter patients can reach (``public_url``), which serves both. Each is an
    SVG file in the cache (``qr_folder``), the one folder of images the print may load besides
    the logo: a ``data:`` URL would open the fetcher to any URL a page could name."""
    if pharmacy is None or not pharmacy.public_url:
        return []
    import segno

    from leaflet.coverage import coverage
    from leaflet.render.options import MEDIA

    codes = []
    for medium in ("html", "audio"):
        url = pharmacy.edition_url(leaflet.id, leaflet.lang.code, MEDIA[medium].suffix)
        if url and not coverage(leaflet.lang.code).unavailable(medium):
            codes.append(QrCode(medium, url, _qr_file(project, segno.make(url, error="m", micro=False))))
    return codes


def qr_folder(project: Project) -> Path:
    return project.cache_dir / "qr"


def _qr_file(project: Project, code: Any) -> str:
    import io

    from leaflet.files import write_atomic

    svg = io.BytesIO()
    code.save(svg, kind="svg", scale=4, border=4, xmldecl=False, svgclass=None, lineclass=None)
    data = svg.getvalue()
    path = qr_folder(project) / f"{hashlib.sha256(data).hexdigest()[:24]}.svg"
    if not path.exists():
        write_atomic(path, data)
    return path.as_uri()


def _review(leaflet: LocalizedLeaflet) -> dict[str, object]:
    """What the footer says of the review: only a review bound to these exact words counts."""
    status = leaflet.review
    if leaflet.lang.code == SOURCE_LANGUAGE:
        return {"reviewer": "", "review_date": leaflet.revised, "review_changed": False}
    return {"reviewer": status.reviewer if status.reviewed else "",
            "review_date": header_date(status.date) or leaflet.revised,
            "review_changed": status.changed, "changed_reviewer": status.reviewer if status.changed else ""}


def _personal(options: BuildOptions, renderer: Renderer) -> Personal:
    return Personal(options.patient, renderer.directions(), options.free_directions, options.date or dt.date.today())


def directions_sentence(project: Project, leaflet: str, lang: str, options: BuildOptions) -> Markup:
    """The directions exactly as the leaflet will print them (each dose in the plural form and
    digits of ``lang``), for the pharmacist to read before printing; refused as the build would refuse it."""
    options = options.validated()
    if lang != SOURCE_LANGUAGE:
        gate(project, lang, [DIRECTIONS_DOMAIN])
    translations = load_translations(project, lang, [DIRECTIONS_DOMAIN])
    content = read_leaflet(project.content_file(leaflet))
    chosen = choose_directions(project.directions_file, content, options.directions or "", options.count)
    return directions_html(translations, chosen, read_names(project.names_file))


def directions_html(translations: Translations, chosen: Chosen, names: tuple[str, ...] = ()) -> Markup:
    """The directions as printed (``Renderer.directions`` without a whole leaflet)."""
    info = language(translations.lang)
    directions = localize_directions(translations, chosen)
    return sentence_html(directions.sentence, info, names, **directions.values(lambda count: number(count, info)))
