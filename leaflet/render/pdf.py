"""Print HTML to PDF with WeasyPrint: HTML + fonts -> ``output/<lang>/<leaflet>.pdf``.

The last stage of the pipeline. WeasyPrint only fetches the project's own
templates and prepared fonts (``ProjectFetcher``) and sees no other font: its
fontconfig holds the prepared faces and nothing from the system
(``PreparedFontsOnly``), so a character they lack is a ``.notdef`` box, never a
glyph from DejaVu or another installed font. Any warning it logs, a ``.notdef``
box above all, fails the build. Besides the bytes, ``render_pdf`` gives the text
laid out on each page, in reading order: what the preflight expects the PDF's
text layer to read back. The PDF is written to a temporary file and renamed, so
a failed build leaves the previous PDF as it was.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from leaflet.errors import OutputError, RenderError
from leaflet.files import write_atomic
from leaflet.render import linebreak, textlayer


class RefusedURL(FatalURLFetchingError):  # type: ignore[misc]  # WeasyPrint has no type information
    """A URL outside the project's assets; stops rendering at once."""


class ProjectFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type information
    """Serves ``file:`` URLs inside the allowed folders, and nothing else; ``in_memory``
    files (fonts made for one print) from memory, never read from or written to disk."""

    def __init__(self, allowed: list[Path], in_memory: dict[Path, bytes] | None = None) -> None:
        super().__init__(allowed_protocols={"file"})
        self.allowed = [folder.resolve() for folder in allowed]
        self.in_memory = {path.resolve(): data for path, data in (in_memory or {}).items()}

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
        if path is not None and path in self.in_memory:
            return URLFetcherResponse(url, body=self.in_memory[path])
        if path is None or not any(path.is_relative_to(folder) for folder in self.allowed):
            raise RefusedURL(f"refused to load '{url[:200]}': only the project's own templates and fonts may be used")
        return super().fetch(path.as_uri(), headers)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def weasyprint_warnings() -> Iterator[list[str]]:
    """Collect what WeasyPrint logs; library use shows nothing by default."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


class PreparedFontsOnly(FontConfiguration):  # type: ignore[misc]  # WeasyPrint has no type information
    """A fontconfig configuration without the system's fonts: only the ``@font-face``
    faces the stylesheet adds exist, so Pango cannot fall back to an installed font."""

    def __init__(self) -> None:
        from weasyprint.text.ffi import ffi, fontconfig, gobject, pangoft2

        _declare_config_create(ffi)
        self._config = fontconfig.FcConfigCreate()
        self.font_map = ffi.gc(pangoft2.pango_ft2_font_map_new(), gobject.g_object_unref)
        pangoft2.pango_fc_font_map_set_config(ffi.cast("PangoFcFontMap *", self.font_map), self._config)
        fontconfig.FcConfigDestroy(self._config)  # the font map keeps its own reference
        self._folder = None
        self.strut_layouts: dict[Any, Any] = {}  # WeasyPrint's caches, as its own __init__ makes them
        self.font_features: dict[Any, Any] = {}


_declared: list[bool] = []


def _declare_config_create(ffi: Any) -> None:
    """WeasyPrint's bindings lack ``FcConfigCreate`` (an empty configuration); declare it once."""
    if not _declared:
        ffi.cdef("FcConfig * FcConfigCreate (void);")
        _declared.append(True)


@dataclass(frozen=True)
class PageText:
    """The text WeasyPrint laid out on one page, in reading order: the running head (top
    margin boxes), the page's flow, and its foot (the other margin boxes)."""

    head: str
    flow: str
    foot: str


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: tuple[PageText, ...]
    html: str = ""
    #: Every file the PDF was made from (``render.edition``), for the build's manifest.
    inputs: tuple[Path, ...] = ()


def render_pdf(html: str, *, base_dir: Path, font_css: str, allowed: list[Path],
               identifier: bytes | None = None, system_fonts: bool = False, pdf_ua: bool = True,
               cache_dir: Path | None = None, in_memory: dict[Path, bytes] | None = None) -> Rendered:
    """A tagged PDF, which claims PDF/UA-1 when ``pdf_ua`` (``Language.claims_pdf_ua``: only where
    its glyphs read back in order). ``system_fonts=True`` lets WeasyPrint use installed fonts
    too (the contact sheet's labels). ``cache_dir`` keeps what the text layer learns of each font,
    unless fonts come from ``in_memory`` (a patient's typed characters): then nothing is kept."""
    textlayer.install(None if in_memory else cache_dir)
    linebreak.install()
    fetcher = ProjectFetcher([base_dir, *allowed], in_memory)
    font_config = FontConfiguration() if system_fonts else PreparedFontsOnly()
    options: dict[str, Any] = {"pdf_variant": "pdf/ua-1" if pdf_ua else None, "pdf_version": "1.7",
                               "pdf_tags": True, "pdf_identifier": identifier, "custom_metadata": True}
    with weasyprint_warnings() as warnings:
        try:
            html_document = HTML(string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=fetcher)
            fonts = CSS(string=font_css, font_config=font_config, url_fetcher=fetcher)
            document = html_document.render(font_config=font_config, stylesheets=[fonts], **options)
            data = document.write_pdf(finisher=textlayer.finish, **options)
        except RefusedURL as exc:
            raise RenderError(str(exc)) from None
        finally:
            _remove_font_copies(font_config)
    if warnings:
        raise RenderError(f"WeasyPrint: {warnings[0]}"
                          + (f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""),
                          hint=_hint(warnings[0]))
    return Rendered(data, tuple(page_text(page._page_box) for page in document.pages))


def _remove_font_copies(font_config: Any) -> None:
    """WeasyPrint hands each ``@font-face`` to fontconfig as a copy in a temporary folder
    of its own, removed only when the configuration is garbage-collected, which a
    rendered document's references delay, often until the process ends: one folder per
    print was left behind, with a patient's typed characters among the glyphs. The
    PDF is written by now, so the copies go at once."""
    folder = getattr(font_config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        font_config._folder = None


def page_text(page: Any) -> PageText:
    head = [child for child in page.children if _at(child).startswith("@top")]
    foot = [child for child in page.children if _at(child) and child not in head]
    flow = [child for child in page.children if not _at(child)]
    return PageText(*("".join(laid_out_text(child) for child in part) for part in (head, flow, foot)))


def _at(box: Any) -> str:
    return box.at_keyword if isinstance(box, boxes.MarginBox) else ""


def laid_out_text(box: Any) -> str:
    """The text of a page's boxes in tree order, which is reading order: WeasyPrint moves
    right-to-left boxes on a line but keeps them in logical order in the tree. List markers
    are out of the flow, behind a placeholder."""
    box = getattr(box, "_box", box)  # an AbsolutePlaceholder
    if isinstance(box, boxes.TextBox):
        text: str = box.text
        return text
    if isinstance(box, boxes.ParentBox):
        return "".join(laid_out_text(child) for child in box.children) + "\n"
    return ""


def _hint(warning: str) -> str:
    if "SVG" in warning or "image" in warning.lower():
        return "the pharmacy logo could not be drawn: use a PNG, or an SVG that embeds everything it shows"
    return "a missing glyph or a broken style would print wrongly"


def save_pdf(data: bytes, path: Path) -> None:
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise OutputError(f"cannot write the PDF: {exc.strerror}", path=path.parent,
                          hint="check that the output folder exists and is writable") from None
