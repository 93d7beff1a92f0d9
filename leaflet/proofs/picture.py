"""A leaflet's PDF (bytes) -> a PNG of one page (bytes), made in memory: the counter's look before printing.

The counter shows the pharmacist page 1 of a patient's leaflet, with the
patient's name and directions on it, before paper comes out. PDFium (through
pypdfium2; the renderer of Chrome's PDF viewer) draws the page from the bytes
and Pillow writes the PNG into memory: unlike the contact sheets (``sheet``,
from files with ``pdftoppm``) nothing here touches the disk.
"""

from __future__ import annotations

import io
import threading

import pypdfium2

from leaflet.errors import RenderError

#: 1.5 pixels a point (108 dpi): an A4 page is 893 x 1263 pixels, legible on a phone or a desk screen.
SCALE = 1.5
#: A palette of 64 colours keeps antialiased type sharp at a third of the bytes (about 55 KB for page 1).
COLOURS = 64
#: PDFium is not thread-safe: one picture at a time in a process.
_PDFIUM = threading.Lock()


def page_picture(pdf: bytes, page: int = 0, scale: float = SCALE) -> bytes:
    """Why a palette PNG: it goes into the page as a data: URL, so its size is the page's weight."""
    with _PDFIUM:
        try:
            document = pypdfium2.PdfDocument(pdf)
        except pypdfium2.PdfiumError as exc:
            raise RenderError(f"cannot read the PDF to picture it: {exc}") from None
        try:
            if not 0 <= page < len(document):
                raise RenderError(f"the PDF has {len(document)} page(s), not a page {page + 1}")
            image = document[page].render(scale=scale).to_pil()
        finally:
            document.close()
    out = io.BytesIO()
    image.quantize(colors=COLOURS).save(out, format="PNG", optimize=True)
    return out.getvalue()
