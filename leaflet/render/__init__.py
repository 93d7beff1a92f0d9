"""Stage 3, render: one leaflet in one language and edition -> HTML -> PDF bytes.

In: the source (``leaflet.source``), checked translations (``leaflet.catalogs``) and the
edition's ``options.BuildOptions``. Out: ``pdf.Rendered``: the PDF's bytes, the text laid
out on each page, the HTML it was printed from and every file it was made from.
``edition.render_edition`` is the one render path: the build, the batch, the counter and
the HTML preview (which stops at ``render_html``) all use it. ``context`` gives the
templates their values, ``html`` fills them, ``fonts`` prepares font subsets, ``printing``
and ``pdf`` print through WeasyPrint (``textlayer`` mends its text layer), ``preflight``
checks the printed pages (read by ``printed``).

``render(leaflet, lang, options)`` is imported on first use, so importing
``leaflet.render.options`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leaflet.render.edition import (
        Edition,
        render,
        render_edition,
        render_html,
        resolve_edition,
    )

__all__ = ["Edition", "render", "render_edition", "render_html", "resolve_edition"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from leaflet.render import edition

        return getattr(edition, name)
    raise AttributeError(f"module 'leaflet.render' has no attribute {name!r}")
