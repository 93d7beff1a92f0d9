"""Print HTML to PDF with WeasyPrint: HTML + fonts -> ``output/<lang>/<leaflet>.pdf``.

The last stage of the pipeline. WeasyPrint only fetches the project's own
templates and prepared fonts (``ProjectFetcher``); any warning it logs, a
``.notdef`` box above all, fails the build; the PDF is written to a
temporary file and renamed, so a failed build leaves the previous PDF as it was.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlparse

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from .errors import OutputError, RenderError
from .files import write_atomic


class RefusedURL(FatalURLFetchingError):
    """A URL outside the project's assets; stops rendering at once."""


class ProjectFetcher(URLFetcher):
    """Serves ``file:`` URLs inside the allowed folders, and nothing else."""

    def __init__(self, allowed: list[Path]) -> None:
        super().__init__(allowed_protocols={"file"})
        self.allowed = [folder.resolve() for folder in allowed]

    def fetch(self, url: str, headers: dict[str, str] | None = None):  # type: ignore[override]
        parsed = urlparse(url)
        path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
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


def render_pdf(html: str, *, base_dir: Path, font_css: str, allowed: list[Path],
               identifier: bytes | None = None) -> bytes:
    fetcher = ProjectFetcher([base_dir, *allowed])
    font_config = FontConfiguration()
    with weasyprint_warnings() as warnings:
        try:
            document = HTML(string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=fetcher)
            fonts = CSS(string=font_css, font_config=font_config, url_fetcher=fetcher)
            data = document.write_pdf(stylesheets=[fonts], font_config=font_config, pdf_variant="pdf/ua-1",
                                      pdf_identifier=identifier, custom_metadata=True)
        except RefusedURL as exc:
            raise RenderError(str(exc)) from None
    if warnings:
        raise RenderError(f"WeasyPrint: {warnings[0]}" + (f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""),
                          hint=_hint(warnings[0]))
    return data


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
