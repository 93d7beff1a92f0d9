"""The leaflet's HTML -> PDF bytes, with the fonts prepared for its language.

``print_pdf`` is the one way HTML becomes a PDF here: it subsets the language's fonts
for exactly the characters on the page (plus, for a personalised leaflet, everything a
pharmacist may type), so no glyph falls back to a system font, then prints through
WeasyPrint (``pdf.render_pdf``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html as html_lib
import re
from pathlib import Path

from leaflet import __version__
from leaflet.catalogs.pofile import read_catalog_cached
from leaflet.errors import LeafletError
from leaflet.languages import language
from leaflet.project import Project
from leaflet.render.context import qr_folder
from leaflet.render.fonts import TYPING_REPERTOIRE, font_face_css, prepare_fonts
from leaflet.render.pdf import Rendered, render_pdf
from leaflet.source.pharmacy import Pharmacy


def print_pdf(project: Project, html: str, lang: str, pharmacy: Pharmacy | None = None,
              personal: bool = False, bilingual: bool = False, typed: str = "") -> tuple[Rendered, list[Path]]:
    """The rendered PDF and the installed font files it was made from. ``bilingual``: the
    page sets two languages side by side, which some scripts' text layers cannot read
    in order (``Language.claims_pdf_ua``). A personalised
    leaflet's fonts also hold the usual typed characters, so the cache of font subsets
    does not grow, and tell which characters were typed, with every patient; ``typed``
    (the name and free directions) beyond them is drawn from subsets kept in memory. What
    it and the ``pharmacy``'s profile hold in another script is drawn by that script's font."""
    optional = TYPING_REPERTOIRE + personal_repertoire(project, lang) if personal else ""
    faces = prepare_fonts(language(lang), visible_text(html), project.cache_dir, optional=optional,
                          typed=typed if personal else "", profile=pharmacy.printed_text if pharmacy else "")
    identifier = hashlib.sha256(html.encode() + __version__.encode()).hexdigest()[:32].encode()
    logo = [pharmacy.logo] if pharmacy and pharmacy.logo else []
    allowed = [project.cache_dir / "fonts", qr_folder(project), *logo]
    rendered = render_pdf(html, base_dir=project.templates_dir, font_css=font_face_css(faces),
                          allowed=allowed, identifier=identifier,
                          pdf_ua=language(lang).claims_pdf_ua(bilingual), cache_dir=project.cache_dir,
                          in_memory={face.path: face.data for face in faces if face.data is not None})
    return rendered, sorted({face.source for face in faces})


def personal_repertoire(project: Project, lang: str) -> str:
    """What a personalised page may print besides typed text: every character of the
    language's catalogs (the directions in any plural form), its month names and digits.
    With these in the fonts, the subsets are the same for every patient."""
    stamp = tuple(_stamp(project.po_file(lang, domain)) for domain in project.domains())
    return _personal_repertoire(project, lang, stamp)


def _stamp(path: Path) -> tuple[str, int]:
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return str(path), 0


@functools.lru_cache(maxsize=64)
def _personal_repertoire(project: Project, lang: str, stamp: tuple[tuple[str, int], ...]) -> str:
    from babel.dates import get_month_names

    info = language(lang)
    chars = set("0123456789") | set(info.native_digits("0123456789"))
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            chars.update("".join(get_month_names(width, context, locale=info.locale).values()))
    for path, _ in stamp:
        with contextlib.suppress(OSError, LeafletError):
            for entry in read_catalog_cached(Path(path)).entries():
                chars.update(entry.msgstr, *entry.msgstr_plural.values())
    return "".join(sorted(chars))


def visible_text(html: str) -> str:
    """Every character the page can show: text between tags and the CSS strings of the footer."""
    return html_lib.unescape(re.sub(r"<[^>]*>", " ", html))
